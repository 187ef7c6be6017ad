// TransferRateGuard: the minimum rate at which a data set must arrive once its C-STORE
// request has come (dicom_min_rate). DCMTK's timeouts end a peer that falls silent, but a
// peer that sends one byte every few seconds satisfies every read and would hold a
// worker until the association's deadline (dicom_association_max).
//
// Judged from the kernel's counters of the association's socket, sampled by the accept
// loops, not by the worker: the worker may be blocked in that very read. A window in
// which any sample found received bytes still unread says nothing about the peer (this
// server was the slow side, e.g. a stalled disk) and is not held against it. Two windows
// in a row below the rate cut, not one: a rural link that drops out for most of one
// window (as long as dicom_timeout allows a stall) and then carries on is not cut. Only
// the reception of a data set is judged: between messages a peer may rightly be idle (a
// modality that keeps its association open), and that wait is dicom_timeout's. Called
// under the server's lock, with times that never go back.
#pragma once

#include <chrono>
#include <cstdint>

namespace telerad::dicom {

class TransferRateGuard {
 public:
  using Clock = std::chrono::steady_clock;

  // What the accept loop samples of one association at one moment.
  struct Sample {
    uint64_t reception = 0;       // which data set (counts up once per C-STORE data set)
    bool receiving = false;       // a data set is arriving now
    uint64_t bytes_received = 0;  // the socket's bytes received so far (TCP_INFO)
    uint64_t unread = 0;          // bytes received that the worker has not read yet
  };

  // Windows in a row below the rate that cut.
  static constexpr int kSlowWindows = 2;

  // `min_bytes_per_second` 0 switches the guard off. REQUIRES: window > 0.
  TransferRateGuard(int64_t min_bytes_per_second, std::chrono::seconds window);

  // True when the data set arriving now has brought fewer than min × window bytes in each
  // of the last kSlowWindows whole windows. A new data set starts afresh.
  bool TooSlow(Clock::time_point now, const Sample& sample);

  // The bytes of the last window judged too slow (for the log).
  uint64_t last_window_bytes() const { return last_window_bytes_; }

 private:
  void StartWindow(Clock::time_point now, uint64_t bytes);

  const int64_t min_bytes_per_second_;
  const std::chrono::seconds window_;
  bool watching_ = false;
  uint64_t reception_ = 0;
  Clock::time_point window_start_;
  uint64_t window_start_bytes_ = 0;
  bool server_behind_ = false;  // a sample of this window found bytes unread
  int slow_windows_ = 0;        // windows in a row below the rate
  uint64_t last_window_bytes_ = 0;
};

}  // namespace telerad::dicom
