#include "dicom/pending_connections.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "dicom/tcp_listener.h"

namespace telerad::dicom {
namespace {

using namespace std::chrono_literals;
using Clock = PendingConnections::Clock;

// A loopback TCP connection: `client` is the peer's end, `server` the accepted one.
struct Connection {
  int client = -1;
  int server = -1;
};

class PendingConnectionsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(listener_.Open(0).ok()); }
  void TearDown() override {
    for (int fd : clients_) ::close(fd);
  }

  Connection Connect() {
    sockaddr_in addr{};
    socklen_t len = sizeof(addr);
    ::getsockname(listener_.fd(), reinterpret_cast<sockaddr*>(&addr), &len);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    Connection c;
    c.client = ::socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_EQ(::connect(c.client, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    clients_.push_back(c.client);
    for (int i = 0; i < 100 && c.server < 0; ++i) {
      c.server = listener_.Accept().fd;
      if (c.server < 0) std::this_thread::sleep_for(1ms);
    }
    EXPECT_GE(c.server, 0);
    return c;
  }

  // An A-ASSOCIATE-RQ PDU header announcing `length` bytes, then `body_bytes` of them.
  static std::string Request(uint32_t length, size_t body_bytes) {
    std::string pdu = {0x01,
                       0x00,
                       static_cast<char>(length >> 24),
                       static_cast<char>(length >> 16),
                       static_cast<char>(length >> 8),
                       static_cast<char>(length)};
    return pdu + std::string(body_bytes, 'x');
  }

  static void Send(int fd, const std::string& bytes) {
    ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), 0), static_cast<ssize_t>(bytes.size()));
    std::this_thread::sleep_for(20ms);  // let loopback deliver it
  }

  TcpListener listener_;
  std::vector<int> clients_;
  std::vector<PendingConnections::Dropped> dropped_;
};

TEST_F(PendingConnectionsTest, WholeRequestIsReady) {
  PendingConnections pending(10s, 8, 1024);
  Connection c = Connect();
  pending.Add(c.server, "peer", Clock::now(), dropped_);
  Send(c.client, Request(100, 100));
  auto ready = pending.Collect(Clock::now(), dropped_);
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(ready[0].fd, c.server);
  EXPECT_EQ(pending.size(), 0u);
  ::close(ready[0].fd);
}

TEST_F(PendingConnectionsTest, PartialRequestWaitsAndNothingIsConsumed) {
  PendingConnections pending(10s, 8, 1024);
  Connection c = Connect();
  pending.Add(c.server, "peer", Clock::now(), dropped_);
  Send(c.client, Request(100, 40));
  EXPECT_TRUE(pending.Collect(Clock::now(), dropped_).empty());
  EXPECT_TRUE(dropped_.empty());
  Send(c.client, std::string(60, 'y'));
  auto ready = pending.Collect(Clock::now(), dropped_);
  ASSERT_EQ(ready.size(), 1u);
  char buffer[200];
  EXPECT_EQ(::recv(ready[0].fd, buffer, sizeof(buffer), MSG_DONTWAIT), 106);  // all still there
  ::close(ready[0].fd);
}

TEST_F(PendingConnectionsTest, SilentPeerIsDroppedAtItsDeadline) {
  PendingConnections pending(10s, 8, 1024);
  Connection c = Connect();
  const auto start = Clock::now();
  pending.Add(c.server, "silent", start, dropped_);
  EXPECT_TRUE(pending.Collect(start + 9s, dropped_).empty());
  EXPECT_TRUE(dropped_.empty());
  EXPECT_TRUE(pending.Collect(start + 10s, dropped_).empty());
  ASSERT_EQ(dropped_.size(), 1u);
  EXPECT_EQ(dropped_[0].peer, "silent");
  EXPECT_EQ(pending.size(), 0u);
}

TEST_F(PendingConnectionsTest, TricklingPeerIsDroppedAtItsDeadline) {
  PendingConnections pending(10s, 8, 1024);
  Connection c = Connect();
  const auto start = Clock::now();
  pending.Add(c.server, "trickler", start, dropped_);
  Send(c.client, Request(100, 99));  // one byte short, for ever
  EXPECT_TRUE(pending.Collect(start + 10s, dropped_).empty());
  ASSERT_EQ(dropped_.size(), 1u);
}

TEST_F(PendingConnectionsTest, OtherPduTypeIsDroppedAtOnce) {
  PendingConnections pending(10s, 8, 1024);
  Connection c = Connect();
  pending.Add(c.server, "http", Clock::now(), dropped_);
  Send(c.client, "GET / HTTP/1.1\r\n");
  EXPECT_TRUE(pending.Collect(Clock::now(), dropped_).empty());
  ASSERT_EQ(dropped_.size(), 1u);
  EXPECT_NE(dropped_[0].reason.find("not an association request"), std::string::npos);
}

TEST_F(PendingConnectionsTest, OversizedRequestIsDroppedAtOnce) {
  PendingConnections pending(10s, 8, 1024);
  Connection c = Connect();
  pending.Add(c.server, "big", Clock::now(), dropped_);
  Send(c.client, Request(0xFFFFFFF0u, 0));
  EXPECT_TRUE(pending.Collect(Clock::now(), dropped_).empty());
  ASSERT_EQ(dropped_.size(), 1u);
  EXPECT_NE(dropped_[0].reason.find("too large"), std::string::npos);
}

TEST_F(PendingConnectionsTest, PeerThatHangsUpIsDropped) {
  PendingConnections pending(10s, 8, 1024);
  Connection c = Connect();
  pending.Add(c.server, "gone", Clock::now(), dropped_);
  ::shutdown(c.client, SHUT_WR);
  std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(pending.Collect(Clock::now(), dropped_).empty());
  ASSERT_EQ(dropped_.size(), 1u);
}

TEST_F(PendingConnectionsTest, FullSetEvictsTheOldest) {
  PendingConnections pending(10s, 2, 1024);
  Connection first = Connect(), second = Connect(), third = Connect();
  pending.Add(first.server, "first", Clock::now(), dropped_);
  pending.Add(second.server, "second", Clock::now(), dropped_);
  pending.Add(third.server, "third", Clock::now(), dropped_);
  ASSERT_EQ(dropped_.size(), 1u);
  EXPECT_EQ(dropped_[0].peer, "first");
  EXPECT_EQ(pending.size(), 2u);
  Send(third.client, Request(10, 10));
  auto ready = pending.Collect(Clock::now(), dropped_);
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(ready[0].peer, "third");
  ::close(ready[0].fd);
}

TEST_F(PendingConnectionsTest, PollStaysQuietWhileARequestIsIncomplete) {
  // The low-water mark keeps a trickling peer from waking the accept loop for each byte.
  PendingConnections pending(10s, 8, 1024);
  Connection c = Connect();
  pending.Add(c.server, "trickler", Clock::now(), dropped_);
  Send(c.client, Request(100, 10));
  EXPECT_TRUE(pending.Collect(Clock::now(), dropped_).empty());
  std::vector<pollfd> fds;
  pending.AppendPollFds(fds);
  ASSERT_EQ(fds.size(), 1u);
  EXPECT_EQ(::poll(fds.data(), fds.size(), 50), 0);
  Send(c.client, std::string(90, 'z'));
  EXPECT_EQ(::poll(fds.data(), fds.size(), 50), 1);
}

}  // namespace
}  // namespace telerad::dicom
