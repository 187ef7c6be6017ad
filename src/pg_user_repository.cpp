#include "src/pg_user_repository.h"

#include "src/pg_pool.h"
#include "src/pg_row.h"

namespace telerad {
namespace {

constexpr const char* kColumns = "id, username, role, facility_id, password_hash, active, demo";

UserRecord RowToUser(const pqxx::row& r) {
  UserRecord u;
  u.id = r[0].as<int64_t>();
  u.username = r[1].as<std::string>();
  u.role = ParseRole(r[2].as<std::string>()).value_or(Role::kMinistry);
  if (!r[3].is_null()) u.facility_id = r[3].as<int64_t>();
  u.password_hash = r[4].as<std::string>();
  u.active = r[5].as<bool>();
  u.demo = r[6].as<bool>();
  return u;
}

// Token hashes are raw bytes; bytea travels as hex to keep the binding simple.
std::string Hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out = "\\x";
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

}  // namespace

PgUserRepository::PgUserRepository(PgPool& pool) : pool_(pool) {
  pool_.Prepare("user_by_name",
                std::string("SELECT ") + kColumns + " FROM app_user WHERE username = $1");
  pool_.Prepare("user_insert",
                "INSERT INTO app_user (username, role, facility_id, password_hash, active, demo)"
                " VALUES ($1, $2, $3::bigint, $4, $5, $6) ON CONFLICT (username) DO NOTHING"
                " RETURNING " +
                    std::string(kColumns));
  pool_.Prepare("session_insert",
                "INSERT INTO session (token_hash, user_id, expires_at)"
                " VALUES ($1::bytea, $2, 'epoch'::timestamptz + $3 * interval '1 microsecond')");
  pool_.Prepare("session_find",
                "SELECT u.id, u.username, u.role, u.facility_id FROM session s"
                " JOIN app_user u ON u.id = s.user_id"
                " WHERE s.token_hash = $1::bytea AND s.revoked_at IS NULL"
                " AND s.expires_at > now() AND u.active");
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
    pqxx::result rows = txn.exec_prepared("user_insert", u.username, ToString(u.role),
                                          OrNull(facility), u.password_hash, u.active, u.demo);
    if (rows.empty()) rows = txn.exec_prepared("user_by_name", u.username);
    stored = RowToUser(rows[0]);
  });
  if (!s.ok()) return s;
  return stored;
}

Status PgUserRepository::CreateSession(const std::string& token_hash, int64_t user_id,
                                       TimePoint expires_at) {
  return pool_.Run([&](pqxx::work& txn) {
    txn.exec_prepared0("session_insert", Hex(token_hash), user_id, ToMicros(expires_at));
  });
}

Result<std::optional<Principal>> PgUserRepository::FindSession(const std::string& token_hash) {
  std::optional<Principal> principal;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    pqxx::result rows = txn.exec_prepared("session_find", Hex(token_hash));
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
