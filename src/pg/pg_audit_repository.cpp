#include "src/pg/pg_audit_repository.h"

#include "src/pg/pg_cursor.h"
#include "src/pg/pg_pool.h"
#include "src/pg/pg_row.h"

namespace telerad {
namespace {

// Keyset paging on (at, id), newest first (reads are written a moment after they happen,
// stamped with their own time). Run as an unnamed statement, so PostgreSQL plans it
// with the actual filters every time: a cached generic plan of these optional filters
// would walk the whole trail backwards by id to find one rare username.
constexpr const char* kAuditList =
                "SELECT id, " TELERAD_MICROS("at") ", user_id, username, role, action,"
                " object_type, object_id, remote_addr, outcome FROM audit_event"
                " WHERE ($1::text IS NULL OR username = $1)"
                " AND ($2::text IS NULL OR action = $2)"
                " AND ($3::text IS NULL OR object_id = $3)"
                " AND ($4::bigint IS NULL OR at >= 'epoch'::timestamptz + $4 * interval '1 microsecond')"
                " AND ($5::bigint IS NULL OR at < 'epoch'::timestamptz + $5 * interval '1 microsecond')"
                " AND ($6::bigint IS NULL OR (at, id) < ('epoch'::timestamptz + $6 * interval"
                " '1 microsecond', $7::bigint))"
                " ORDER BY at DESC, id DESC LIMIT $8";

// The entry's own time (AuditService stamps it from its Clock), or null when the caller
// left it unset: then the statement takes the database's now(), as every other stamp the
// repositories write does, rather than this process reading a clock of its own.
std::optional<std::string> MicrosOrNull(const AuditEntry& e) {
  if (e.at == TimePoint{}) return std::nullopt;
  return std::to_string(ToMicros(e.at));
}

}  // namespace

PgAuditRepository::PgAuditRepository(PgPool& pool) : pool_(pool) {
  pool_.Prepare("audit_append",
                "INSERT INTO audit_event (user_id, username, role, action, object_type, object_id,"
                " remote_addr, outcome, at) VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8,"
                " coalesce('epoch'::timestamptz + $9::bigint * interval '1 microsecond', now()))");
  pool_.Prepare("audit_async_commit", "SET LOCAL synchronous_commit TO off");
}

Status PgAuditRepository::Append(const AuditEntry& e, bool durable) {
  std::optional<std::string> user_id;
  if (e.user_id) user_id = std::to_string(*e.user_id);
  return pool_.Run([&](pqxx::work& txn) {
    if (!durable) txn.exec_prepared0("audit_async_commit");
    txn.exec_prepared0("audit_append", OrNull(user_id), e.username, e.role, e.action, e.object_type,
                       e.object_id, e.remote_addr, e.outcome, OrNull(MicrosOrNull(e)));
  });
}

Status PgAuditRepository::AppendReads(const std::vector<AuditEntry>& entries) {
  return pool_.Run([&](pqxx::work& txn) {
    txn.exec_prepared0("audit_async_commit");
    for (const AuditEntry& e : entries) {
      std::optional<std::string> user_id;
      if (e.user_id) user_id = std::to_string(*e.user_id);
      txn.exec_prepared0("audit_append", OrNull(user_id), e.username, e.role, e.action,
                         e.object_type, e.object_id, e.remote_addr, e.outcome,
                         OrNull(MicrosOrNull(e)));
    }
  });
}

Result<AuditPage> PgAuditRepository::List(const AuditQuery& q) {
  std::optional<std::string> before_at, before_id, from, to;
  if (q.cursor) {
    std::string at, id;
    if (!ParseAuditCursor(*q.cursor, &at, &id)) return Status::InvalidArgument("bad cursor");
    before_at = at;
    before_id = id;
  }
  if (q.from) from = std::to_string(ToMicros(*q.from));
  if (q.to) to = std::to_string(ToMicros(*q.to));
  AuditPage page;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    page.items.clear();
    pqxx::result rows = txn.exec_params(kAuditList, OrNull(q.username), OrNull(q.action),
                                        OrNull(q.object_id), OrNull(from), OrNull(to),
                                        OrNull(before_at), OrNull(before_id), q.limit + 1);
    for (const auto& r : rows) {
      AuditEntry e;
      e.id = r[0].as<int64_t>();
      e.at = FromMicros(r[1].as<int64_t>());
      if (!r[2].is_null()) e.user_id = r[2].as<int64_t>();
      e.username = r[3].as<std::string>();
      e.role = r[4].as<std::string>();
      e.action = r[5].as<std::string>();
      e.object_type = r[6].as<std::string>();
      e.object_id = r[7].as<std::string>();
      e.remote_addr = r[8].as<std::string>();
      e.outcome = r[9].as<std::string>();
      page.items.push_back(std::move(e));
    }
  });
  if (!s.ok()) return s;
  if (static_cast<int>(page.items.size()) > q.limit) {
    page.items.pop_back();
    page.next_cursor =
        std::to_string(ToMicros(page.items.back().at)) + "." + std::to_string(page.items.back().id);
  }
  return page;
}

}  // namespace telerad
