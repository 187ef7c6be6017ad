#include "src/reading/report_delivery_worker.h"

#include <algorithm>

#include "src/audit/audit_outcome.h"
#include "src/base/logging.h"

namespace telerad {

std::chrono::seconds RetryDelay(const DeliveryPolicy& policy, int attempts) {
  // Doubling from retry_base; the shift is capped so it never overflows.
  const int doublings = std::clamp(attempts - 1, 0, 20);
  const auto delay = policy.retry_base * (int64_t{1} << doublings);
  return std::min<std::chrono::seconds>(delay, policy.retry_max);
}

ReportDeliveryWorker::ReportDeliveryWorker(ReportRepository& reports, StudyRepository& studies,
                                           ReportSender& sender, AuditService& audit,
                                           DeliveryPolicy policy)
    : reports_(reports),
      studies_(studies),
      sender_(sender),
      audit_(audit),
      policy_(policy),
      thread_(policy.poll, [this] { Tick(); }) {}

void ReportDeliveryWorker::Start() { thread_.Start(); }

void ReportDeliveryWorker::Stop() { thread_.Stop(); }

void ReportDeliveryWorker::Tick() {
  auto attempted = RunOnce();
  if (!attempted.ok())
    CoreLog().warn("event=delivery_poll_failed reason=\"{}\"", attempted.status().ToString());
}

Result<int> ReportDeliveryWorker::RunOnce() {
  int attempted = 0;
  while (!thread_.Stopping()) {
    auto job = reports_.TakeDueDelivery(policy_.hold);
    if (!job.ok()) return job.status();
    if (!job->has_value()) break;
    ++attempted;
    Status s = Attempt(**job);
    if (!s.ok())
      CoreLog().warn("event=delivery_record_failed report_id={} reason=\"{}\"", (*job)->report_id,
                     s.ToString());
  }
  return attempted;
}

Status ReportDeliveryWorker::Attempt(const DeliveryJob& job) {
  const int attempt = job.attempts + 1;
  // The attempt's audit entry (patient data leaving the server, or failing to) commits
  // with the delivery's new state; only if that write fails is it recorded on its own.
  AuditEntry entry;
  entry.username = "delivery";
  entry.action = "report.deliver";
  entry.object_type = "study";
  entry.object_id = job.study_uid;
  entry.remote_addr = job.to.ae_title + "@" + job.to.host + ":" + std::to_string(job.to.port);
  auto recorded = [&](Status written) {
    if (!written.ok() && entry.id == 0) audit_.Record(entry, true);
    return written;
  };
  auto fail = [&](const std::string& error) {
    const auto retry_in = RetryDelay(policy_, attempt);
    // Never patient data in the log: the report id, the attempt and the sender's message.
    CoreLog().warn(
        "event=report_delivery_failed report_id={} attempt={} retry_in={}s reason=\"{}\"",
        job.report_id, attempt, retry_in.count(), error);
    if (entry.outcome.empty()) entry.outcome = AuditOutcome(Status::Unavailable(error));
    return recorded(
        reports_.MarkDeliveryFailed(job.report_id, job.sr_instance_uid, error, retry_in, entry));
  };
  if (job.to.host.empty() || job.to.port <= 0 || job.to.ae_title.empty())
    return reports_.MarkUndeliverable(job.report_id, job.sr_instance_uid,
                                      "the facility has no return DICOM address any more");

  auto study = studies_.FindStudy(job.study_uid);
  if (!study.ok()) return fail("study unavailable: " + study.status().ToString());
  auto report = reports_.FindByStudy(job.study_uid);
  if (!report.ok()) return fail("report unavailable: " + report.status().ToString());
  if (!study->has_value() || !report->has_value()) return fail("study or report missing");

  ReportDocument doc{std::move(**study), std::move(**report), job.sr_series_uid,
                     job.sr_instance_uid};
  Status sent = sender_.Send(job.to, doc);
  entry.outcome = AuditOutcome(sent);
  if (!sent.ok()) return fail(sent.ToString());
  CoreLog().info("event=report_delivered report_id={} attempt={} peer=\"{}@{}:{}\"", job.report_id,
                 attempt, job.to.ae_title, job.to.host, job.to.port);
  return recorded(reports_.MarkDelivered(job.report_id, job.sr_instance_uid, entry));
}

}  // namespace telerad
