// PendingTlsConnections with peers that never finish a TLS handshake: they are dropped
// at their deadline or at once, and never block the caller. (Whole handshakes with
// client certificates are played by tests/integration/dicom_tls_test.cpp.)
#include "dicom/pending_tls_connections.h"

#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace telerad::dicom {
namespace {

using namespace std::chrono_literals;
using Clock = PendingTlsConnections::Clock;

class PendingTlsConnectionsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(context_, nullptr); }
  void TearDown() override {
    for (int fd : clients_) ::close(fd);
    SSL_CTX_free(context_);
  }
  // A connected pair; returns the server end, keeps the client end in clients_.
  int Pair() {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    clients_.push_back(fds[0]);
    return fds[1];
  }
  SSL_CTX* context_ = SSL_CTX_new(TLS_server_method());
  std::vector<int> clients_;
};

TEST_F(PendingTlsConnectionsTest, SilentPeerWaitsWithoutBlockingThenIsDroppedAtItsDeadline) {
  PendingTlsConnections pending(context_, 100ms, 8, 64 * 1024);
  std::vector<PendingTlsConnections::Dropped> dropped;
  const auto t0 = Clock::now();
  pending.Add(Pair(), "192.0.2.1", t0, dropped);
  const auto started = Clock::now();
  EXPECT_TRUE(pending.Collect(t0 + 50ms, dropped).empty());
  EXPECT_LT(Clock::now() - started, 50ms);  // did not wait for the peer
  EXPECT_TRUE(dropped.empty());
  EXPECT_EQ(pending.size(), 1u);
  std::vector<pollfd> fds;
  pending.AppendPollFds(fds);
  ASSERT_EQ(fds.size(), 1u);
  EXPECT_TRUE(fds[0].events & POLLIN);
  EXPECT_TRUE(pending.Collect(t0 + 100ms, dropped).empty());
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0].peer, "192.0.2.1");
  EXPECT_NE(dropped[0].reason.find("no TLS handshake"), std::string::npos);
  EXPECT_EQ(pending.size(), 0u);
}

TEST_F(PendingTlsConnectionsTest, PlainDicomOnTheTlsPortIsDroppedAtOnce) {
  PendingTlsConnections pending(context_, 10s, 8, 64 * 1024);
  std::vector<PendingTlsConnections::Dropped> dropped;
  pending.Add(Pair(), "192.0.2.2", Clock::now(), dropped);
  const std::string associate_rq = {0x01, 0x00, 0x00, 0x00, 0x00, 0x44, 0x00, 0x01};
  ASSERT_EQ(::send(clients_.back(), associate_rq.data(), associate_rq.size(), 0), 8);
  EXPECT_TRUE(pending.Collect(Clock::now(), dropped).empty());
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_NE(dropped[0].reason.find("TLS handshake failed"), std::string::npos);
}

TEST_F(PendingTlsConnectionsTest, PeerClosingBeforeItsHandshakeIsDropped) {
  PendingTlsConnections pending(context_, 10s, 8, 64 * 1024);
  std::vector<PendingTlsConnections::Dropped> dropped;
  pending.Add(Pair(), "192.0.2.3", Clock::now(), dropped);
  ::close(clients_.back());
  clients_.pop_back();
  EXPECT_TRUE(pending.Collect(Clock::now(), dropped).empty());
  EXPECT_EQ(dropped.size(), 1u);
  EXPECT_EQ(pending.size(), 0u);
}

TEST_F(PendingTlsConnectionsTest, FullSetEvictsTheOldest) {
  PendingTlsConnections pending(context_, 10s, 2, 64 * 1024);
  std::vector<PendingTlsConnections::Dropped> dropped;
  const auto now = Clock::now();
  pending.Add(Pair(), "first", now, dropped);
  pending.Add(Pair(), "second", now, dropped);
  pending.Add(Pair(), "third", now, dropped);
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0].peer, "first");
  EXPECT_EQ(pending.size(), 2u);
}

}  // namespace
}  // namespace telerad::dicom
