// AuditService: records who did what to which patient data, and lets admins read it.
// Thread-safe.
#pragma once

#include "src/audit_repository.h"
#include "src/model.h"
#include "src/status.h"

namespace telerad {

class AuditService {
 public:
  explicit AuditService(AuditRepository& audit) : audit_(audit) {}

  // Appends an entry; a failure is logged (the caller's request has already been
  // answered or is about to be: the trail must not turn a read into an error).
  void Record(const AuditEntry& entry, bool durable);

  // Admins only (kPermissionDenied otherwise). kInvalidArgument for a limit outside
  // 1..500 or a bad cursor.
  Result<AuditPage> List(const Principal& who, const AuditQuery& query);

 private:
  AuditRepository& audit_;
};

}  // namespace telerad
