#include "src/pg_audit_repository.h"

#include "src/pg_pool.h"
#include "src/pg_row.h"

namespace telerad {
namespace {

// Keyset paging on id (newest first). Run as an unnamed statement, so PostgreSQL plans it
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
                " AND ($6::bigint IS NULL OR id < $6)"
                " ORDER BY id DESC LIMIT $7";

}  // namespace

PgAuditRepository::PgAuditRepository(PgPool& pool) : pool_(pool) {
  pool_.Prepare("audit_append",
                "INSERT INTO audit_event (user_id, username, role, action, object_type, object_id,"
                " remote_addr, outcome) VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8)");
  pool_.Prepare("audit_async_commit", "SET LOCAL synchronous_commit TO off");
}

Status PgAuditRepository::Append(const AuditEntry& e, bool durable) {
  std::optional<std::string> user_id;
  if (e.user_id) user_id = std::to_string(*e.user_id);
  return pool_.Run([&](pqxx::work& txn) {
    if (!durable) txn.exec_prepared0("audit_async_commit");
    txn.exec_prepared0("audit_append", OrNull(user_id), e.username, e.role, e.action, e.object_type,
                       e.object_id, e.remote_addr, e.outcome);
  });
}

Result<AuditPage> PgAuditRepository::List(const AuditQuery& q) {
  std::optional<std::string> before, from, to;
  if (q.cursor) {
    const std::string& c = *q.cursor;
    if (c.empty() || c.size() > 18 || c.find_first_not_of("0123456789") != std::string::npos)
      return Status::InvalidArgument("bad cursor");
    before = c;
  }
  if (q.from) from = std::to_string(ToMicros(*q.from));
  if (q.to) to = std::to_string(ToMicros(*q.to));
  AuditPage page;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    page.items.clear();
    pqxx::result rows =
        txn.exec_params(kAuditList, OrNull(q.username), OrNull(q.action), OrNull(q.object_id),
                        OrNull(from), OrNull(to), OrNull(before), q.limit + 1);
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
    page.next_cursor = std::to_string(page.items.back().id);
  }
  return page;
}

}  // namespace telerad
