// FakeClock: a Clock that stands still until a test advances it, so leases, session
// expiry and lockouts are tested without sleeping. Thread-safe (the background workers
// may read it while the test advances it).
#pragma once

#include <atomic>
#include <chrono>

#include "src/base/clock.h"

namespace telerad {

class FakeClock final : public Clock {
 public:
  // Starts at `start` (default 2025-03-01T00:00:00Z, a fixed day so tests are repeatable).
  explicit FakeClock(TimePoint start = TimePoint(std::chrono::seconds(1740787200)))
      : now_us_(Micros(start.time_since_epoch())) {}

  TimePoint Now() const override {
    return TimePoint(
        std::chrono::duration_cast<TimePoint::duration>(std::chrono::microseconds(now_us_.load())));
  }
  std::chrono::steady_clock::duration Elapsed() const override {
    return std::chrono::microseconds(elapsed_us_.load());
  }

  // Moves both readings forward by `d` (which must not be negative).
  template <typename Rep, typename Period>
  void Advance(std::chrono::duration<Rep, Period> d) {
    now_us_ += Micros(d);
    elapsed_us_ += Micros(d);
  }

  // Sets the wall clock only (as NTP or an operator would); Elapsed() does not move.
  void SetNow(TimePoint t) { now_us_ = Micros(t.time_since_epoch()); }

 private:
  template <typename D>
  static int64_t Micros(D d) {
    return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  }
  std::atomic<int64_t> now_us_;
  std::atomic<int64_t> elapsed_us_{0};
};

}  // namespace telerad
