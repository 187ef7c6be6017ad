#include "src/audit/audit_service.h"

#include "src/base/logging.h"

namespace telerad {
namespace {

void LogFailure(const Status& s, size_t entries) {
  // Counts and reasons only: the entries name patients' studies.
  CoreLog().error("event=audit_append_failed entries={} reason=\"{}\"", entries, s.ToString());
}

}  // namespace

AuditService::~AuditService() { Stop(); }

void AuditService::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (running_) return;
  running_ = true;
  stopping_ = false;
  writer_ = std::thread([this] { Loop(); });
}

void AuditService::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  writer_.join();
  std::lock_guard<std::mutex> lock(mu_);
  running_ = false;
}

void AuditService::Record(const AuditEntry& recorded, bool durable) {
  // Stamped now, not when a queued record reaches the table: the trail is in the order
  // things happened.
  AuditEntry entry = recorded;
  if (entry.at == TimePoint{}) entry.at = clock_.Now();
  if (!durable) {
    std::lock_guard<std::mutex> lock(mu_);
    if (running_) {
      if (queued_.size() < kMaxQueuedReads)
        queued_.push_back(entry);
      else
        ++dropped_;
      return;
    }
  }
  Status s = durable ? audit_.Append(entry, true) : audit_.AppendReads({entry});
  if (!s.ok()) LogFailure(s, 1);
}

void AuditService::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait_for(lock, kReadFlushInterval, [this] { return stopping_; });
    std::vector<AuditEntry> batch;
    batch.swap(queued_);
    const size_t dropped = dropped_;
    dropped_ = 0;
    const bool last = stopping_;
    lock.unlock();
    if (dropped > 0)
      CoreLog().error("event=audit_reads_dropped entries={} reason=\"queue full\"", dropped);
    Flush(batch);
    lock.lock();
    if (last && queued_.empty()) return;
  }
}

void AuditService::Flush(std::vector<AuditEntry>& batch) {
  if (batch.empty()) return;
  Status s = audit_.AppendReads(batch);
  if (s.ok()) return;
  LogFailure(s, batch.size());
  // Kept for the next round while the database is away, within the queue's bound.
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) return;
  for (auto& e : batch) {
    if (queued_.size() >= kMaxQueuedReads) {
      ++dropped_;
      continue;
    }
    queued_.push_back(std::move(e));
  }
}

Result<AuditPage> AuditService::List(const Principal& who, const AuditQuery& query) {
  if (who.role != Role::kAdmin) return Status::PermissionDenied("only admins read the audit trail");
  if (query.limit < 1 || query.limit > 500)
    return Status::InvalidArgument("limit must be between 1 and 500");
  return audit_.List(query);
}

}  // namespace telerad
