// ResponseSender (api/response_sender.h) over a socket pair: answers leave complete and
// in order, file slices go by sendfile, Connection: close ends the stream, a reader that
// stalls or reads below the minimum rate is cut off, and the memory bound is kept.
#include "api/response_sender.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

namespace telerad::api {
namespace {

using namespace std::chrono_literals;

struct Pair {
  Pair() {
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
    // The reader side blocks, as a client's would.
    const int flags = ::fcntl(fds[1], F_GETFL);
    ::fcntl(fds[1], F_SETFL, flags & ~O_NONBLOCK);
  }
  ~Pair() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
  int server() const { return fds[0]; }
  int client() const { return fds[1]; }
  int fds[2] = {-1, -1};
};

WireResponse Bytes(std::string body, bool close_after = false) {
  WireResponse wire;
  wire.pieces.push_back(BodyPiece::Bytes(std::move(body)));
  wire.close_after = close_after;
  return wire;
}

std::string ReadUntilEof(int fd) {
  std::string in;
  char buf[65536];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) in.append(buf, static_cast<size_t>(n));
  return in;
}

ResponseSender::Limits Limits(std::chrono::seconds timeout, size_t min_rate = 0,
                              size_t max_bytes = size_t{64} << 20) {
  ResponseSender::Limits limits;
  limits.send_timeout = timeout;
  limits.min_rate_bytes = min_rate;
  limits.max_queued_bytes = max_bytes;
  return limits;
}

// An accepted loopback TCP connection (the server's side), as Pistache hands it over.
int AcceptedLoopbackConnection(int& client, int& listener) {
  listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  EXPECT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_EQ(::listen(listener, 1), 0);
  EXPECT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  EXPECT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  return ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
}

TEST(ResponseSenderTest, AnswersGoWithoutNagleSoAKeptAliveClientNeverWaitsForADelayedAck) {
  int client = -1;
  int listener = -1;
  const int server = AcceptedLoopbackConnection(client, listener);
  ASSERT_GE(server, 0);
  int nodelay = 0;
  socklen_t size = sizeof nodelay;
  ASSERT_EQ(::getsockopt(server, IPPROTO_TCP, TCP_NODELAY, &nodelay, &size), 0);
  EXPECT_EQ(nodelay, 0);  // Linux's default, and what Pistache leaves
  {
    OutgoingConnection connection(server);
    ASSERT_EQ(::getsockopt(server, IPPROTO_TCP, TCP_NODELAY, &nodelay, &size), 0);
    EXPECT_NE(nodelay, 0);
  }
  ::close(server);
  ::close(client);
  ::close(listener);
}

TEST(ResponseSenderTest, AnswersLeaveWholeAndInOrderAndCloseEndsTheStream) {
  ResponseSender sender(Limits(10s));
  ASSERT_TRUE(sender.Start().ok());
  Pair pair;
  auto connection = std::make_shared<OutgoingConnection>(pair.server());
  const std::string big(8 << 20, 'a');  // far more than a socket buffer
  sender.Send(connection, Bytes(big));
  EXPECT_EQ(sender.waiting_connections(), 1u);
  EXPECT_GT(sender.queued_bytes(), 0u);
  sender.Send(connection, Bytes("second"));
  sender.Send(connection, Bytes("third", true));
  sender.Send(connection, Bytes("never: after close"));
  const std::string in = ReadUntilEof(pair.client());
  EXPECT_EQ(in.size(), big.size() + 11);
  EXPECT_TRUE(in.compare(0, big.size(), big) == 0);
  EXPECT_EQ(in.substr(big.size()), "secondthird");
  EXPECT_EQ(sender.queued_bytes(), 0u);
  EXPECT_EQ(sender.waiting_connections(), 0u);
}

TEST(ResponseSenderTest, FileSlicesGoBySendfile) {
  const std::string path = ::testing::TempDir() + "/sender_slice.bin";
  std::ofstream(path) << "0123456789";
  auto slice = BodyPiece::FileSlice(path, 3, 5);
  ASSERT_TRUE(slice.ok());
  ResponseSender sender(Limits(10s));
  ASSERT_TRUE(sender.Start().ok());
  Pair pair;
  auto connection = std::make_shared<OutgoingConnection>(pair.server());
  WireResponse wire = Bytes("head:");
  wire.pieces.push_back(std::move(*slice));
  wire.close_after = true;
  sender.Send(connection, std::move(wire));
  EXPECT_EQ(ReadUntilEof(pair.client()), "head:34567");
  std::remove(path.c_str());
}

TEST(ResponseSenderTest, AReaderThatStallsIsCutOffAfterTheTimeout) {
  ResponseSender sender(Limits(1s));
  ASSERT_TRUE(sender.Start().ok());
  Pair pair;
  auto connection = std::make_shared<OutgoingConnection>(pair.server());
  sender.Send(connection, Bytes(std::string(8 << 20, 'x')));
  const auto begin = std::chrono::steady_clock::now();
  while (sender.waiting_connections() > 0 && std::chrono::steady_clock::now() - begin < 5s)
    std::this_thread::sleep_for(50ms);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  EXPECT_EQ(sender.waiting_connections(), 0u);
  EXPECT_GE(seconds, 0.9);
  EXPECT_LT(seconds, 2.5);
  EXPECT_EQ(sender.queued_bytes(), 0u);
  EXPECT_LT(ReadUntilEof(pair.client()).size(), size_t{8} << 20);
  // Whatever comes later on that connection is dropped.
  sender.Send(connection, Bytes("late"));
  EXPECT_EQ(sender.waiting_connections(), 0u);
}

TEST(ResponseSenderTest, AReaderBelowTheMinimumRateIsCutOff) {
  ResponseSender sender(Limits(1s, size_t{64} << 20));  // 64 MB/s: no trickle keeps up
  ASSERT_TRUE(sender.Start().ok());
  Pair pair;
  auto connection = std::make_shared<OutgoingConnection>(pair.server());
  sender.Send(connection, Bytes(std::string(32 << 20, 'x')));
  size_t received = 0;
  char buf[16384];
  const auto begin = std::chrono::steady_clock::now();
  while (sender.waiting_connections() > 0 && std::chrono::steady_clock::now() - begin < 5s) {
    const ssize_t n = ::recv(pair.client(), buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) received += static_cast<size_t>(n);
    std::this_thread::sleep_for(20ms);  // about 800 KB/s
  }
  EXPECT_EQ(sender.waiting_connections(), 0u) << "still sending after 5 s";
  EXPECT_LT(received, size_t{32} << 20);
}

TEST(ResponseSenderTest, MemoryBoundCountsWhatWaits) {
  ResponseSender sender(Limits(10s, 0, size_t{4} << 20));
  ASSERT_TRUE(sender.Start().ok());
  EXPECT_TRUE(sender.Admits(size_t{3} << 20));
  EXPECT_FALSE(sender.Admits(size_t{5} << 20));
  Pair pair;
  auto connection = std::make_shared<OutgoingConnection>(pair.server());
  sender.Send(connection, Bytes(std::string(3 << 20, 'x')));  // the reader takes nothing
  EXPECT_GT(sender.queued_bytes(), size_t{1} << 20);
  EXPECT_FALSE(sender.Admits(size_t{3} << 20));
  EXPECT_TRUE(sender.Admits(1024));
}

}  // namespace
}  // namespace telerad::api
