// A slow network link for integration tests: a TCP relay on 127.0.0.1 that passes what a
// client sends to the server at most `bytes_per_second` (in small steps, as a congested
// rural link delivers it) and what the server answers at full speed. One connection at a
// time; real DCMTK tools connect to port() instead of the server's.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

namespace telerad::testing {

class SlowLink {
 public:
  SlowLink(int server_port, int64_t bytes_per_second);
  ~SlowLink();
  SlowLink(const SlowLink&) = delete;
  SlowLink& operator=(const SlowLink&) = delete;

  int port() const { return port_; }

 private:
  void Serve();
  // Copies `from` to `to` until either side ends, `rate` bytes a second at most (0: as
  // fast as it comes).
  void Relay(int from, int to, int64_t rate);

  const int server_port_;
  const int64_t bytes_per_second_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace telerad::testing
