#include "src/pg/pg_audit_repository.h"

#include "src/pg/pg_audit_insert.h"
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
                " object_type, object_id, remote_addr, outcome,"
                " array_to_string(returned_ids, E'\\n'), detail FROM audit_event"
                " WHERE ($1::text IS NULL OR username = $1)"
                " AND ($2::text IS NULL OR action = $2)"
                " AND ($3::text IS NULL OR object_id = $3)"
                " AND ($4::bigint IS NULL OR at >= 'epoch'::timestamptz + $4 * interval '1 microsecond')"
                " AND ($5::bigint IS NULL OR at < 'epoch'::timestamptz + $5 * interval '1 microsecond')"
                " AND ($6::bigint IS NULL OR (at, id) < ('epoch'::timestamptz + $6 * interval"
                " '1 microsecond', $7::bigint))"
                " ORDER BY at DESC, id DESC LIMIT $8";

}  // namespace

PgAuditRepository::PgAuditRepository(PgPool& pool) : pool_(pool) {
  pool_.Prepare("audit_async_commit", "SET LOCAL synchronous_commit TO off");
}

Status PgAuditRepository::Append(const AuditEntry& e, bool durable) {
  return pool_.Run([&](pqxx::work& txn) {
    if (!durable) txn.exec_prepared0("audit_async_commit");
    InsertAudit(txn, e);
  });
}

Status PgAuditRepository::AppendReads(const std::vector<AuditEntry>& entries) {
  return pool_.Run([&](pqxx::work& txn) {
    txn.exec_prepared0("audit_async_commit");
    for (const AuditEntry& e : entries) InsertAudit(txn, e);
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
      // Joined by newlines, which no id holds (AuditEntry::returned_ids).
      const std::string ids = r[10].as<std::string>();
      for (size_t from = 0; !ids.empty();) {
        const size_t end = ids.find('\n', from);
        e.returned_ids.push_back(ids.substr(from, end - from));
        if (end == std::string::npos) break;
        from = end + 1;
      }
      e.detail = r[11].as<std::string>();
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
