// StabilitySweeper: a background thread that moves studies with no new instance for
// `stable_after` from `receiving` to `ready` (DESIGN.md flow 2), and claimed studies
// whose lease ran out back to `ready` (flow 3).
//
// The rule runs as one UPDATE in PostgreSQL against the database clock, so several
// server processes may sweep at once without coordination. Start() and Stop() must be
// called from one owning thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "src/study_repository.h"

namespace telerad {

class StabilitySweeper {
 public:
  StabilitySweeper(StudyRepository& studies, std::chrono::seconds stable_after, SlaTargets sla);
  ~StabilitySweeper();

  void Start();
  // Wakes the thread and joins it. Idempotent.
  void Stop();

  // One sweep now; returns how many studies became ready (used by Start's loop and tests).
  Result<int> SweepOnce();

 private:
  void Loop();

  StudyRepository& studies_;
  const std::chrono::seconds stable_after_;
  const SlaTargets sla_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace telerad
