#include "src/pg/pg_machine_token_repository.h"

#include "src/pg/pg_audit_insert.h"
#include "src/pg/pg_pool.h"
#include "src/pg/pg_row.h"

namespace telerad {
namespace {

constexpr const char* kColumns = "t.id, f.code, t.name, t.created_by, " TELERAD_MICROS(
    "t.created_at") ", " TELERAD_MICROS("t.last_used_at") ", " TELERAD_MICROS("t.revoked_at");

MachineToken RowToToken(const pqxx::row& r) {
  MachineToken t;
  t.id = r[0].as<int64_t>();
  t.facility_code = r[1].as<std::string>();
  t.name = r[2].as<std::string>();
  t.created_by = r[3].as<std::string>();
  t.created_at = FromMicros(r[4].as<int64_t>());
  t.last_used_at = OptionalTime(r[5]);
  t.revoked_at = OptionalTime(r[6]);
  return t;
}

}  // namespace

PgMachineTokenRepository::PgMachineTokenRepository(PgPool& pool) : pool_(pool) {
  pool_.Prepare("machine_token_insert",
                std::string("WITH t AS (INSERT INTO facility_machine_token"
                            " (facility_id, name, token_hash, created_by)"
                            " SELECT id, $2, $3::bytea, $4 FROM facility WHERE code = $1"
                            " RETURNING *) SELECT ") +
                    kColumns + " FROM t JOIN facility f ON f.id = t.facility_id");
  pool_.Prepare("machine_token_list",
                std::string("SELECT ") + kColumns +
                    " FROM facility_machine_token t JOIN facility f ON f.id = t.facility_id"
                    " WHERE f.code = $1 ORDER BY t.id DESC");
  pool_.Prepare("machine_token_revoke",
                std::string("WITH t AS (UPDATE facility_machine_token m"
                            " SET revoked_at = coalesce(m.revoked_at, now())"
                            " FROM facility f WHERE f.id = m.facility_id AND f.code = $1"
                            " AND m.id = $2 RETURNING m.*) SELECT ") +
                    kColumns + " FROM t JOIN facility f ON f.id = t.facility_id");
  pool_.Prepare("facility_exists", "SELECT 1 FROM facility WHERE code = $1");
  pool_.Prepare("machine_token_use",
                "UPDATE facility_machine_token t SET last_used_at = now() FROM facility f"
                " WHERE t.token_hash = $1::bytea AND t.revoked_at IS NULL"
                " AND f.id = t.facility_id AND f.active"
                " RETURNING t.id, t.name, f.id, f.code");
}

Result<MachineToken> PgMachineTokenRepository::Create(const std::string& facility_code,
                                                      const std::string& name,
                                                      const std::string& token_hash,
                                                      const std::string& created_by,
                                                      AuditEntry& audit) {
  MachineToken token;
  Status s = pool_.Run([&](pqxx::work& txn) {
    pqxx::result rows = txn.exec_prepared("machine_token_insert", facility_code, name,
                                          ByteaHex(token_hash), created_by);
    if (rows.empty()) throw AbortTransaction{Status::NotFound("no such facility")};
    token = RowToToken(rows[0]);
    audit.id = InsertAudit(txn, audit);
  });
  if (s.code() == StatusCode::kConflict)
    return Status::Conflict("the facility has a live machine token of that name");
  if (!s.ok()) return s;
  return token;
}

Result<std::vector<MachineToken>> PgMachineTokenRepository::List(const std::string& facility_code) {
  std::vector<MachineToken> tokens;
  bool facility = false;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    tokens.clear();
    facility = !txn.exec_prepared("facility_exists", facility_code).empty();
    for (const auto& row : txn.exec_prepared("machine_token_list", facility_code))
      tokens.push_back(RowToToken(row));
  });
  if (!s.ok()) return s;
  if (!facility) return Status::NotFound("no such facility");
  return tokens;
}

Result<MachineToken> PgMachineTokenRepository::Revoke(const std::string& facility_code, int64_t id,
                                                      AuditEntry& audit) {
  MachineToken token;
  Status s = pool_.Run([&](pqxx::work& txn) {
    pqxx::result rows = txn.exec_prepared("machine_token_revoke", facility_code, id);
    if (rows.empty()) throw AbortTransaction{Status::NotFound("no such machine token")};
    token = RowToToken(rows[0]);
    audit.id = InsertAudit(txn, audit);
  });
  if (!s.ok()) return s;
  return token;
}

Result<std::optional<MachineTokenOwner>> PgMachineTokenRepository::Use(
    const std::string& token_hash) {
  std::optional<MachineTokenOwner> owner;
  Status s = pool_.Run([&](pqxx::work& txn) {
    owner.reset();
    pqxx::result rows = txn.exec_prepared("machine_token_use", ByteaHex(token_hash));
    if (rows.empty()) return;
    owner = MachineTokenOwner{rows[0][0].as<int64_t>(), rows[0][1].as<std::string>(),
                              rows[0][2].as<int64_t>(), rows[0][3].as<std::string>()};
  });
  if (!s.ok()) return s;
  return owner;
}

}  // namespace telerad
