#include "src/pg/pg_user_repository.h"

#include "src/pg/pg_audit_insert.h"
#include "src/pg/pg_pool.h"
#include "src/pg/pg_row.h"

namespace telerad {
namespace {

constexpr const char* kColumns =
    "u.id, u.username, u.role, u.facility_id, u.password_hash, u.active, u.demo,"
    " coalesce(f.code, ''), " TELERAD_MICROS("u.created_at");
constexpr const char* kFrom = " FROM app_user u LEFT JOIN facility f ON f.id = u.facility_id";

UserRecord RowToUser(const pqxx::row& r) {
  UserRecord u;
  u.id = r[0].as<int64_t>();
  u.username = r[1].as<std::string>();
  u.role = ParseRole(r[2].as<std::string>()).value_or(Role::kMinistry);
  if (!r[3].is_null()) u.facility_id = r[3].as<int64_t>();
  u.password_hash = r[4].as<std::string>();
  u.active = r[5].as<bool>();
  u.demo = r[6].as<bool>();
  u.facility_code = r[7].as<std::string>();
  u.created_at = FromMicros(r[8].as<int64_t>());
  return u;
}

// A facility account works only while its facility is active. Deactivation also revokes
// the sessions (PgFacilityRepository); this closes the race with a login that inserted
// its session while the deactivation was still uncommitted.
constexpr char kFacilityActive[] =
    " AND (u.facility_id IS NULL OR EXISTS (SELECT 1 FROM facility f"
    " WHERE f.id = u.facility_id AND f.active))";

}  // namespace

PgUserRepository::PgUserRepository(PgPool& pool) : pool_(pool) {
  pool_.Prepare("user_by_name",
                std::string("SELECT ") + kColumns + kFrom + " WHERE u.username = $1");
  pool_.Prepare("user_list", std::string("SELECT ") + kColumns + kFrom + " ORDER BY u.username");
  pool_.Prepare("user_insert",
                "INSERT INTO app_user (username, role, facility_id, password_hash, active, demo)"
                " VALUES ($1, $2, $3::bigint, $4, $5, $6) ON CONFLICT (username) DO NOTHING"
                " RETURNING id");
  pool_.Prepare("user_update",
                "UPDATE app_user SET active = coalesce($2::boolean, active),"
                " password_hash = coalesce($3, password_hash), updated_at = now()"
                " WHERE username = $1 RETURNING id");
  // A new password or a disabled account ends the account's sessions at once.
  pool_.Prepare("session_revoke_user",
                "UPDATE session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL");
  pool_.Prepare("session_revoke",
                "UPDATE session SET revoked_at = now() WHERE token_hash = $1::bytea"
                " AND revoked_at IS NULL");
  pool_.Prepare("login_locked_until",
                "SELECT " TELERAD_MICROS("locked_until") " FROM login_failure"
                " WHERE username = $1 AND locked_until > now()");
  // failures counts consecutive failures until 15 quiet minutes pass, counted from the
  // later of the last failure and the end of its lock: a lock may outlast 15 minutes
  // (login_lockout_max), and failures that aged out while the name was still locked
  // would start the doubling again at 30 s. From the $2-th failure on the name is
  // locked for 30 s * 2^(failures - $2), capped at $3 seconds.
  pool_.Prepare("login_failure_record",
                "INSERT INTO login_failure AS l (username, failures, last_at, locked_until)"
                " VALUES ($1, 1, now(), CASE WHEN 1 >= $2::int"
                "  THEN now() + make_interval(secs => least(30, $3::float8)) END)"
                " ON CONFLICT (username) DO UPDATE SET"
                " failures = CASE WHEN greatest(l.last_at, l.locked_until) < now() - interval '15 "
                "minutes' THEN 1"
                "  ELSE l.failures + 1 END, last_at = now(),"
                " locked_until = CASE WHEN (CASE WHEN greatest(l.last_at, l.locked_until) < now() "
                "- interval '15 minutes'"
                "  THEN 1 ELSE l.failures + 1 END) >= $2::int THEN now() + make_interval(secs =>"
                "  least(30 * power(2, least((CASE WHEN greatest(l.last_at, l.locked_until) < "
                "now() - interval '15 minutes'"
                "  THEN 1 ELSE l.failures + 1 END) - $2::int, 20)), $3::float8)) END");
  pool_.Prepare("login_failure_clear", "DELETE FROM login_failure WHERE username = $1");
  // The rows login_failure_record would restart at 1 (greatest() skips a NULL lock).
  pool_.Prepare("login_failure_forget",
                "DELETE FROM login_failure"
                " WHERE greatest(last_at, locked_until) < now() - interval '15 minutes'");
  pool_.Prepare("session_insert",
                "INSERT INTO session (token_hash, user_id, expires_at)"
                " SELECT $1::bytea, id, 'epoch'::timestamptz + $3 * interval '1 microsecond'"
                " FROM app_user u WHERE id = $2 AND active AND password_hash = $4" +
                    std::string(kFacilityActive));
  pool_.Prepare("session_find",
                "SELECT u.id, u.username, u.role, u.facility_id FROM session s"
                " JOIN app_user u ON u.id = s.user_id"
                " WHERE s.token_hash = $1::bytea AND s.revoked_at IS NULL"
                " AND s.expires_at > now() AND u.active" +
                    std::string(kFacilityActive));
  pool_.Prepare("user_count_demo", "SELECT count(*) FROM app_user WHERE demo AND active");
}

Result<std::optional<UserRecord>> PgUserRepository::FindByUsername(const std::string& username) {
  std::optional<UserRecord> user;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    pqxx::result rows = txn.exec_prepared("user_by_name", username);
    user.reset();
    if (!rows.empty()) user = RowToUser(rows[0]);
  });
  if (!s.ok()) return s;
  return user;
}

Result<UserRecord> PgUserRepository::CreateIfAbsent(const UserRecord& u) {
  UserRecord stored;
  std::optional<std::string> facility;
  if (u.facility_id) facility = std::to_string(*u.facility_id);
  Status s = pool_.Run([&](pqxx::work& txn) {
    txn.exec_prepared("user_insert", u.username, ToString(u.role), OrNull(facility),
                      u.password_hash, u.active, u.demo);
    stored = RowToUser(txn.exec_prepared1("user_by_name", u.username));
  });
  if (!s.ok()) return s;
  return stored;
}

Result<UserRecord> PgUserRepository::Create(const UserRecord& u, AuditEntry& audit) {
  UserRecord stored;
  std::optional<std::string> facility;
  if (u.facility_id) facility = std::to_string(*u.facility_id);
  Status s = pool_.Run([&](pqxx::work& txn) {
    pqxx::result rows = txn.exec_prepared("user_insert", u.username, ToString(u.role),
                                          OrNull(facility), u.password_hash, u.active, u.demo);
    if (rows.empty()) throw AbortTransaction{Status::Conflict("username is taken")};
    stored = RowToUser(txn.exec_prepared1("user_by_name", u.username));
    audit.id = InsertAudit(txn, audit);
  });
  if (!s.ok()) return s;
  return stored;
}

Result<UserRecord> PgUserRepository::Update(const std::string& username, std::optional<bool> active,
                                            std::optional<std::string> password_hash,
                                            AuditEntry& audit) {
  UserRecord stored;
  std::optional<std::string> active_text;
  if (active) active_text = *active ? "true" : "false";
  Status s = pool_.Run([&](pqxx::work& txn) {
    pqxx::result rows =
        txn.exec_prepared("user_update", username, OrNull(active_text), OrNull(password_hash));
    if (rows.empty()) throw AbortTransaction{Status::NotFound("no such user")};
    if (password_hash || (active && !*active))
      txn.exec_prepared0("session_revoke_user", rows[0][0].as<int64_t>());
    stored = RowToUser(txn.exec_prepared1("user_by_name", username));
    audit.id = InsertAudit(txn, audit);
  });
  if (!s.ok()) return s;
  return stored;
}

Result<std::vector<UserRecord>> PgUserRepository::List() {
  std::vector<UserRecord> users;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    users.clear();
    for (const auto& row : txn.exec_prepared("user_list")) users.push_back(RowToUser(row));
  });
  if (!s.ok()) return s;
  return users;
}

Status PgUserRepository::RevokeSession(const std::string& token_hash, AuditEntry& audit) {
  return pool_.Run([&](pqxx::work& txn) {
    txn.exec_prepared0("session_revoke", ByteaHex(token_hash));
    audit.id = InsertAudit(txn, audit);
  });
}

Result<std::optional<TimePoint>> PgUserRepository::LockedUntil(const std::string& username) {
  std::optional<TimePoint> until;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    pqxx::result rows = txn.exec_prepared("login_locked_until", username);
    until.reset();
    if (!rows.empty()) until = OptionalTime(rows[0][0]);
  });
  if (!s.ok()) return s;
  return until;
}

Status PgUserRepository::RecordFailedLogin(const std::string& username, int max_failures,
                                           std::chrono::seconds lockout_max) {
  return pool_.Run([&](pqxx::work& txn) {
    txn.exec_prepared0("login_failure_record", username, max_failures,
                       static_cast<int64_t>(lockout_max.count()));
  });
}

Status PgUserRepository::ClearFailedLogins(const std::string& username) {
  return pool_.Run([&](pqxx::work& txn) { txn.exec_prepared0("login_failure_clear", username); });
}

Result<int> PgUserRepository::ForgetQuietFailedLogins() {
  int forgotten = 0;
  Status s = pool_.Run([&](pqxx::work& txn) {
    forgotten = static_cast<int>(txn.exec_prepared("login_failure_forget").affected_rows());
  });
  if (!s.ok()) return s;
  return forgotten;
}

Status PgUserRepository::CreateSession(const std::string& token_hash, int64_t user_id,
                                       const std::string& password_hash, TimePoint expires_at,
                                       AuditEntry& audit) {
  bool created = false;
  Status s = pool_.Run([&](pqxx::work& txn) {
    created = txn.exec_prepared("session_insert", ByteaHex(token_hash), user_id,
                                ToMicros(expires_at), password_hash)
                  .affected_rows() == 1;
    if (created) audit.id = InsertAudit(txn, audit);
  });
  if (s.ok() && !created) return Status::Unauthenticated("account changed during login");
  return s;
}

Result<std::optional<Principal>> PgUserRepository::FindSession(const std::string& token_hash) {
  std::optional<Principal> principal;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    pqxx::result rows = txn.exec_prepared("session_find", ByteaHex(token_hash));
    principal.reset();
    if (rows.empty()) return;
    Principal p;
    p.user_id = rows[0][0].as<int64_t>();
    p.username = rows[0][1].as<std::string>();
    p.role = ParseRole(rows[0][2].as<std::string>()).value_or(Role::kMinistry);
    if (!rows[0][3].is_null()) p.facility_id = rows[0][3].as<int64_t>();
    principal = p;
  });
  if (!s.ok()) return s;
  return principal;
}

Result<int> PgUserRepository::CountDemoUsers() {
  int count = 0;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    count = txn.exec_prepared1("user_count_demo")[0].as<int>();
  });
  if (!s.ok()) return s;
  return count;
}

}  // namespace telerad
