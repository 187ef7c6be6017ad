#include "dicom/transfer_rate_guard.h"

namespace telerad::dicom {

TransferRateGuard::TransferRateGuard(int64_t min_bytes_per_second, std::chrono::seconds window)
    : min_bytes_per_second_(min_bytes_per_second), window_(window) {}

void TransferRateGuard::StartWindow(Clock::time_point now, uint64_t bytes) {
  window_start_ = now;
  window_start_bytes_ = bytes;
  server_behind_ = false;
}

bool TransferRateGuard::TooSlow(Clock::time_point now, const Sample& sample) {
  if (min_bytes_per_second_ <= 0 || !sample.receiving) {
    watching_ = false;
    return false;
  }
  if (!watching_ || sample.reception != reception_) {
    watching_ = true;
    reception_ = sample.reception;
    slow_windows_ = 0;
    StartWindow(now, sample.bytes_received);
    return false;
  }
  if (sample.unread > 0) server_behind_ = true;
  if (now - window_start_ < window_) return false;
  const uint64_t bytes = sample.bytes_received - window_start_bytes_;
  const double seconds = std::chrono::duration<double>(now - window_start_).count();
  const bool server_behind = server_behind_;
  StartWindow(now, sample.bytes_received);
  // Bytes waiting in the socket: the worker, not the peer, fell behind in this window.
  if (server_behind ||
      static_cast<double>(bytes) >= static_cast<double>(min_bytes_per_second_) * seconds) {
    slow_windows_ = 0;
    return false;
  }
  last_window_bytes_ = bytes;
  return ++slow_windows_ >= kSlowWindows;
}

}  // namespace telerad::dicom
