#include "tests/integration/slow_link.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

constexpr auto kStep = std::chrono::milliseconds(100);

}  // namespace

SlowLink::SlowLink(int server_port, int64_t bytes_per_second)
    : server_port_(server_port), bytes_per_second_(bytes_per_second) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(addr);
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(listener_, 4) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &length) != 0)
    throw std::runtime_error("SlowLink: cannot listen on 127.0.0.1");
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

SlowLink::~SlowLink() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  ::close(listener_);
}

void SlowLink::Serve() {
  while (!stop_.load()) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    const int server = ConnectToLoopback(server_port_);
    if (server < 0) {  // the client sees the link go down
      ::close(client);
      continue;
    }
    std::thread answers([&] { Relay(server, client, 0); });
    Relay(client, server, bytes_per_second_);
    answers.join();
    ::close(client);
    ::close(server);
  }
}

void SlowLink::Relay(int from, int to, int64_t rate) {
  // Per step of 100 ms at most rate / 10 bytes (at least one).
  const size_t step_bytes =
      rate > 0 ? static_cast<size_t>(std::max<int64_t>(1, rate / 10)) : size_t{1} << 16;
  std::string buffer(step_bytes, '\0');
  while (!stop_.load()) {
    pollfd p{from, POLLIN, 0};
    const int n = ::poll(&p, 1, 100);
    if (n < 0) break;
    if (n == 0) continue;
    const auto started = std::chrono::steady_clock::now();
    const ssize_t got = ::recv(from, buffer.data(), buffer.size(), 0);
    if (got <= 0) break;
    if (::send(to, buffer.data(), static_cast<size_t>(got), MSG_NOSIGNAL) != got) break;
    if (rate > 0) std::this_thread::sleep_until(started + kStep);
  }
  // Each direction ends the other: the peer sees the link go down as a whole.
  ::shutdown(from, SHUT_RDWR);
  ::shutdown(to, SHUT_RDWR);
}

}  // namespace telerad::testing
