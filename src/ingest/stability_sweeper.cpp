#include "src/ingest/stability_sweeper.h"

#include <algorithm>

#include "src/base/logging.h"

namespace telerad {
namespace {

// Sweeping at a quarter of stable_after (at most every 5 s) keeps a study's move to
// `ready` within 25% of its quiet period; each sweep is one indexed UPDATE.
std::chrono::milliseconds SweepPeriod(std::chrono::seconds stable_after) {
  return std::clamp<std::chrono::milliseconds>(
      std::chrono::duration_cast<std::chrono::milliseconds>(stable_after) / 4,
      std::chrono::milliseconds(200), std::chrono::milliseconds(5000));
}

}  // namespace

StabilitySweeper::StabilitySweeper(StudyRepository& studies, std::chrono::seconds stable_after,
                                   SlaTargets sla)
    : studies_(studies),
      stable_after_(stable_after),
      sla_(sla),
      thread_(SweepPeriod(stable_after), [this] { Tick(); }) {}

void StabilitySweeper::Start() { thread_.Start(); }

void StabilitySweeper::Stop() { thread_.Stop(); }

Result<int> StabilitySweeper::SweepOnce() {
  auto moved = studies_.PromoteStableStudies(stable_after_, sla_);
  if (moved.ok() && *moved > 0) CoreLog().info("event=studies_ready count={}", *moved);
  // Leases that ran out give their studies back to the worklist in the same sweep.
  auto expired = studies_.ExpireClaims();
  if (expired.ok() && *expired > 0) CoreLog().info("event=claims_expired count={}", *expired);
  if (!expired.ok()) return expired.status();
  return moved;
}

void StabilitySweeper::Tick() {
  auto moved = SweepOnce();
  if (!moved.ok() && !was_failing_)
    CoreLog().warn("event=sweep_failed reason=\"{}\"", moved.status().ToString());
  was_failing_ = !moved.ok();
}

}  // namespace telerad
