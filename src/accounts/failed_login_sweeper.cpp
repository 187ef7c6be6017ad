#include "src/accounts/failed_login_sweeper.h"

#include "src/base/logging.h"

namespace telerad {

FailedLoginSweeper::FailedLoginSweeper(UserRepository& users, std::chrono::milliseconds period)
    : users_(users), thread_(period, [this] { Tick(); }) {}

void FailedLoginSweeper::Start() { thread_.Start(); }

void FailedLoginSweeper::Stop() { thread_.Stop(); }

Result<int> FailedLoginSweeper::SweepOnce() {
  auto forgotten = users_.ForgetQuietFailedLogins();
  // A count only: the names are what this forgets.
  if (forgotten.ok() && *forgotten > 0)
    CoreLog().info("event=failed_logins_forgotten count={}", *forgotten);
  return forgotten;
}

void FailedLoginSweeper::Tick() {
  auto forgotten = SweepOnce();
  if (!forgotten.ok() && !was_failing_)
    CoreLog().warn("event=failed_login_sweep_failed reason=\"{}\"", forgotten.status().ToString());
  was_failing_ = !forgotten.ok();
}

}  // namespace telerad
