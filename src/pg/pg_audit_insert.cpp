#include "src/pg/pg_audit_insert.h"

#include <string>
#include <vector>

#include "src/pg/pg_row.h"

namespace telerad {
namespace {

constexpr const char* kInsertAuditSql =
    "INSERT INTO audit_event (user_id, username, role, action, object_type, object_id,"
    " remote_addr, outcome, at, returned_ids, detail) VALUES ($1::bigint, $2, $3, $4, $5, $6,"
    " $7, $8, coalesce('epoch'::timestamptz + $9::bigint * interval '1 microsecond', now()),"
    " $10::text[], $11) RETURNING id";

}  // namespace

int64_t InsertAudit(pqxx::transaction_base& txn, const AuditEntry& e) {
  std::optional<std::string> user_id;
  if (e.user_id) user_id = std::to_string(*e.user_id);
  // The entry's own time (AuditService stamps reads from its Clock), or null when unset:
  // then the statement takes now(), the change's own transaction time.
  std::optional<std::string> at;
  if (e.at != TimePoint{}) at = std::to_string(ToMicros(e.at));
  return txn
      .exec_params1(kInsertAuditSql, OrNull(user_id), e.username, e.role, e.action, e.object_type,
                    e.object_id, e.remote_addr, e.outcome, OrNull(at),
                    TextArrayLiteral(e.returned_ids), e.detail)[0]
      .as<int64_t>();
}

}  // namespace telerad
