#include "src/stability_sweeper.h"

#include <algorithm>

#include "src/logging.h"

namespace telerad {

StabilitySweeper::StabilitySweeper(StudyRepository& studies, std::chrono::seconds stable_after,
                                   SlaTargets sla)
    : studies_(studies), stable_after_(stable_after), sla_(sla) {}

StabilitySweeper::~StabilitySweeper() { Stop(); }

void StabilitySweeper::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void StabilitySweeper::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<int> StabilitySweeper::SweepOnce() {
  auto moved = studies_.PromoteStableStudies(stable_after_, sla_);
  if (moved.ok() && *moved > 0) CoreLog().info("event=studies_ready count={}", *moved);
  // Leases that ran out give their studies back to the worklist in the same sweep.
  auto expired = studies_.ExpireClaims();
  if (expired.ok() && *expired > 0) CoreLog().info("event=claims_expired count={}", *expired);
  if (!expired.ok()) return expired.status();
  return moved;
}

void StabilitySweeper::Loop() {
  // Sweeping at a quarter of stable_after (at most every 5 s) keeps a study's move to
  // `ready` within 25% of its quiet period; each sweep is one indexed UPDATE.
  const auto period = std::clamp<std::chrono::milliseconds>(
      std::chrono::duration_cast<std::chrono::milliseconds>(stable_after_) / 4,
      std::chrono::milliseconds(200), std::chrono::milliseconds(5000));
  bool was_failing = false;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    auto moved = SweepOnce();
    if (!moved.ok() && !was_failing)
      CoreLog().warn("event=sweep_failed reason=\"{}\"", moved.status().ToString());
    was_failing = !moved.ok();
    lock.lock();
    cv_.wait_for(lock, period, [this] { return stopping_; });
  }
}

}  // namespace telerad
