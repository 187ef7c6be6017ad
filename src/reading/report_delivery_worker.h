// ReportDeliveryWorker: a background thread that sends signed reports back to the
// facility's PACS (DESIGN.md flow 4) until the PACS acknowledges them.
//
// The jobs live in PostgreSQL (report.delivery_*), so a delivery survives a restart and
// any server process may take it: TakeDueDelivery holds a job for `hold` with SKIP
// LOCKED, so two processes never send the same one at once, and a process that dies
// mid-send only delays it by `hold`. A failed attempt is retried after retry_base,
// doubling up to retry_max. Start() and Stop() must be called from one owning thread.
#pragma once

#include <chrono>

#include "src/audit/audit_service.h"
#include "src/base/periodic_thread.h"
#include "src/index/study_repository.h"
#include "src/reading/report_repository.h"
#include "src/reading/report_sender.h"

namespace telerad {

struct DeliveryPolicy {
  std::chrono::seconds retry_base{30};
  std::chrono::seconds retry_max{3600};
  std::chrono::seconds hold{120};                           // > the longest possible attempt
  std::chrono::milliseconds poll{std::chrono::seconds(2)};  // how often to look for due jobs
};

// The wait before the next attempt after `attempts` failed ones (1, 2, ...).
std::chrono::seconds RetryDelay(const DeliveryPolicy& policy, int attempts);

class ReportDeliveryWorker {
 public:
  // Every attempt is recorded in the audit trail (patient data leaving the server), in
  // the same transaction as the delivery's new state.
  ReportDeliveryWorker(ReportRepository& reports, StudyRepository& studies, ReportSender& sender,
                       AuditService& audit, DeliveryPolicy policy);

  void Start();
  // Wakes the thread and joins it; an attempt in progress finishes first. Idempotent.
  void Stop();

  // Attempts every delivery due now; how many were attempted.
  Result<int> RunOnce();

 private:
  void Tick();
  // One attempt; the outcome is recorded on the report.
  Status Attempt(const DeliveryJob& job);

  ReportRepository& reports_;
  StudyRepository& studies_;
  ReportSender& sender_;
  AuditService& audit_;
  const DeliveryPolicy policy_;
  PeriodicThread thread_;  // last: its thread uses the members above
};

}  // namespace telerad
