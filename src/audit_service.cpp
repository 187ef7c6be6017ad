#include "src/audit_service.h"

#include "src/logging.h"

namespace telerad {

void AuditService::Record(const AuditEntry& entry, bool durable) {
  Status s = audit_.Append(entry, durable);
  // The log line names the action and user id only: no object ids of patient data.
  if (!s.ok())
    CoreLog().error("event=audit_append_failed action={} user_id={} reason=\"{}\"", entry.action,
                    entry.user_id ? std::to_string(*entry.user_id) : "-", s.ToString());
}

Result<AuditPage> AuditService::List(const Principal& who, const AuditQuery& query) {
  if (who.role != Role::kAdmin) return Status::PermissionDenied("only admins read the audit trail");
  if (query.limit < 1 || query.limit > 500)
    return Status::InvalidArgument("limit must be between 1 and 500");
  return audit_.List(query);
}

}  // namespace telerad
