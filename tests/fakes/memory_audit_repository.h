// MemoryAuditRepository: an AuditRepository that keeps what is appended in memory,
// durable changes and queued reads apart, for unit tests of what writes the trail.
#pragma once

#include <mutex>
#include <vector>

#include "src/audit/audit_repository.h"

namespace telerad {

class MemoryAuditRepository : public AuditRepository {
 public:
  Status Append(const AuditEntry& entry, bool durable) override {
    std::lock_guard<std::mutex> lock(mu);
    (durable ? changes : reads).push_back(entry);
    return Status::Ok();
  }
  Status AppendReads(const std::vector<AuditEntry>& entries) override {
    std::lock_guard<std::mutex> lock(mu);
    reads.insert(reads.end(), entries.begin(), entries.end());
    return Status::Ok();
  }
  Result<AuditPage> List(const AuditQuery&) override { return AuditPage{}; }

  std::mutex mu;
  std::vector<AuditEntry> changes;  // GUARDED_BY(mu)
  std::vector<AuditEntry> reads;    // GUARDED_BY(mu)
};

}  // namespace telerad
