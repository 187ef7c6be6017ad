// Clock: where the services get the time from (LevelDB's Env::NowMicros idea).
//
// Services take a Clock& instead of calling std::chrono directly, so tests can run
// leases, session expiry, lockouts and KPI days on a FakeClock (tests/unit/fake_clock.h)
// that they advance by hand instead of sleeping. Implementations are thread-safe.
//
// Two readings, because they answer different questions: Now() is the wall-clock time
// that is stored, compared with times from the database and shown to users; it can jump
// (NTP, an operator). Elapsed() only ever grows, for measuring how long something took
// or for a cache's age, where a jump of the wall clock must not matter.
//
// What stays on the database's clock: leases, deadlines and stamps that several servers
// on one database must agree on are computed by PostgreSQL's now() inside the SQL (claim
// leases, stable_after, SLA due times, session expiry checks, login lockouts, delivery
// retries, signed_at). A Clock reads this process's time and is never sent into those
// statements in place of now(); a FakeClock therefore cannot age what the SQL decides.
#pragma once

#include <chrono>

#include "src/base/model.h"

namespace telerad {

class Clock {
 public:
  virtual ~Clock() = default;

  // The current wall-clock time.
  virtual TimePoint Now() const = 0;

  // Time since an arbitrary fixed start (monotonic: never goes back).
  virtual std::chrono::steady_clock::duration Elapsed() const = 0;
};

// The operating system's clocks. Stateless: one shared instance serves everyone.
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::duration Elapsed() const override {
    return std::chrono::steady_clock::now().time_since_epoch();
  }

  // The process-wide instance (wiring in src/app/ passes it to the services).
  static SystemClock& Instance() {
    static SystemClock clock;
    return clock;
  }
};

}  // namespace telerad
