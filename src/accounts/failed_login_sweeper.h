// FailedLoginSweeper: a background thread that forgets, once a minute, the failed-login
// counts that no longer count (UserRepository::ForgetQuietFailedLogins): the names tried
// stay in the database only while they protect an account. Any number of server
// processes may sweep; the DELETE is the same whoever runs it. Start() and Stop() must be
// called from one owning thread.
#pragma once

#include <chrono>

#include "src/accounts/user_repository.h"
#include "src/base/periodic_thread.h"

namespace telerad {

class FailedLoginSweeper {
 public:
  explicit FailedLoginSweeper(UserRepository& users,
                              std::chrono::milliseconds period = std::chrono::minutes(1));

  void Start();
  // Wakes the thread and joins it. Idempotent.
  void Stop();

  // One sweep now: how many names were forgotten.
  Result<int> SweepOnce();

 private:
  void Tick();

  UserRepository& users_;
  bool was_failing_ = false;  // used by the sweep thread only: logs a failure once
  PeriodicThread thread_;     // last: its thread uses the members above
};

}  // namespace telerad
