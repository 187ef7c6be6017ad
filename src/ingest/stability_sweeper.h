// StabilitySweeper: a background thread that moves studies with no new instance for
// `stable_after` from `receiving` to `ready` (DESIGN.md flow 2), and claimed studies
// whose lease ran out back to `ready` (flow 3).
//
// The rule runs as one guarded UPDATE in PostgreSQL against the database clock, so a
// study moves once however many server processes sweep; the repository also takes an
// advisory lock per sweep, so while one process sweeps the others skip rather than wait
// on its row locks. Start() and Stop() must be called from one owning thread.
#pragma once

#include <chrono>

#include "src/base/periodic_thread.h"
#include "src/index/study_repository.h"

namespace telerad {

class StabilitySweeper {
 public:
  StabilitySweeper(StudyRepository& studies, std::chrono::seconds stable_after, SlaTargets sla);

  void Start();
  // Wakes the thread and joins it. Idempotent.
  void Stop();

  // One sweep now; returns how many studies became ready (used by Start's loop and tests).
  Result<int> SweepOnce();

 private:
  void Tick();

  StudyRepository& studies_;
  const std::chrono::seconds stable_after_;
  const SlaTargets sla_;
  bool was_failing_ = false;  // used by the sweep thread only: logs a failure once
  PeriodicThread thread_;     // last: its thread uses the members above
};

}  // namespace telerad
