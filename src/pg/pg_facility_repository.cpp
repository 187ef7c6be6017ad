#include "src/pg/pg_facility_repository.h"

#include "src/pg/pg_audit_insert.h"
#include "src/pg/pg_pool.h"
#include "src/pg/pg_row.h"
#include "src/pg/pg_study_row.h"

namespace telerad {
namespace {

constexpr const char* kColumns =
    "id, code, name, aimag, soum, ae_title, active, return_host, return_port, return_ae_title,"
    " array_to_string(allowed_networks, ','), require_tls, tls_client_sha256, version";

// The columns written by insert, update and upsert, $1-$12. CIDR networks hold no comma.
constexpr const char* kWritten =
    "code, name, aimag, soum, ae_title, active, return_host, return_port, return_ae_title,"
    " allowed_networks, require_tls, tls_client_sha256";
constexpr const char* kWrittenValues =
    "$1, $2, $3, $4, $5, $6, $7, $8::int, $9, string_to_array($10, ','), $11, $12";

std::string JoinNetworks(const std::vector<std::string>& networks) {
  std::string out;
  for (const auto& n : networks) out += (out.empty() ? "" : ",") + n;
  return out;
}

Facility RowToFacility(const pqxx::row& r) {
  Facility f;
  f.id = r[0].as<int64_t>();
  f.code = r[1].as<std::string>();
  f.name = r[2].as<std::string>();
  f.aimag = r[3].as<std::string>();
  f.soum = r[4].as<std::string>();
  f.ae_title = r[5].as<std::string>();
  f.active = r[6].as<bool>();
  if (!r[7].is_null() && !r[8].is_null() && !r[9].is_null())
    f.return_dicom = ReturnDicom{r[7].as<std::string>(), r[8].as<int>(), r[9].as<std::string>()};
  f.allowed_networks = Split(r[10].as<std::string>(), ',');
  f.require_tls = r[11].as<bool>();
  f.tls_client_sha256 = TextOr(r[12]);
  f.version = r[13].as<int>();
  return f;
}

}  // namespace

PgFacilityRepository::PgFacilityRepository(PgPool& pool) : pool_(pool) {
  pool_.Prepare("facility_by_ae",
                std::string("SELECT ") + kColumns + " FROM facility WHERE ae_title = $1");
  pool_.Prepare("facility_by_code",
                std::string("SELECT ") + kColumns + " FROM facility WHERE code = $1");
  pool_.Prepare("facility_list",
                std::string("SELECT ") + kColumns + " FROM facility ORDER BY code");
  pool_.Prepare("facility_insert", std::string("INSERT INTO facility (") + kWritten + ") VALUES (" +
                                       kWrittenValues + ") RETURNING " + kColumns);
  pool_.Prepare("facility_update",
                "UPDATE facility SET name = $2, aimag = $3, soum = $4, ae_title = $5, active = $6,"
                " return_host = $7, return_port = $8::int, return_ae_title = $9,"
                " allowed_networks = string_to_array($10, ','), require_tls = $11,"
                " tls_client_sha256 = $12, version = version + 1 WHERE code = $1 AND version ="
                " $13::int RETURNING " +
                    std::string(kColumns));
  // A deactivated facility's accounts are signed out with it, in the same transaction.
  pool_.Prepare("facility_revoke_sessions",
                "UPDATE session SET revoked_at = now() WHERE revoked_at IS NULL AND user_id IN"
                " (SELECT u.id FROM app_user u JOIN facility f ON f.id = u.facility_id"
                " WHERE f.code = $1)");
  // The demo seed's upsert leaves the DICOM origin settings an admin made alone.
  pool_.Prepare("facility_upsert",
                std::string("INSERT INTO facility (") + kWritten + ") VALUES (" + kWrittenValues +
                    ") ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, aimag ="
                    " EXCLUDED.aimag, soum = EXCLUDED.soum, ae_title = EXCLUDED.ae_title, active ="
                    " EXCLUDED.active, return_host = EXCLUDED.return_host, return_port ="
                    " EXCLUDED.return_port, return_ae_title = EXCLUDED.return_ae_title,"
                    " version = facility.version + 1 RETURNING " +
                    kColumns);
}

Result<std::optional<Facility>> PgFacilityRepository::FindByAeTitle(const std::string& ae_title) {
  std::optional<Facility> found;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    pqxx::result rows = txn.exec_prepared("facility_by_ae", ae_title);
    found.reset();
    if (!rows.empty()) found = RowToFacility(rows[0]);
  });
  if (!s.ok()) return s;
  return found;
}

Result<std::optional<Facility>> PgFacilityRepository::FindByCode(const std::string& code) {
  std::optional<Facility> found;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    pqxx::result rows = txn.exec_prepared("facility_by_code", code);
    found.reset();
    if (!rows.empty()) found = RowToFacility(rows[0]);
  });
  if (!s.ok()) return s;
  return found;
}

Result<std::vector<Facility>> PgFacilityRepository::List() {
  std::vector<Facility> all;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    all.clear();
    for (const auto& row : txn.exec_prepared("facility_list")) all.push_back(RowToFacility(row));
  });
  if (!s.ok()) return s;
  return all;
}

Result<Facility> PgFacilityRepository::Write(const char* statement, const Facility& f,
                                             std::optional<int> expected_version,
                                             AuditEntry* audit) {
  Facility stored;
  std::optional<std::string> host, port, ae;
  if (f.return_dicom) {
    host = f.return_dicom->host;
    port = std::to_string(f.return_dicom->port);
    ae = f.return_dicom->ae_title;
  }
  std::optional<std::string> sha256;
  if (!f.tls_client_sha256.empty()) sha256 = f.tls_client_sha256;
  Status s = pool_.Run([&](pqxx::work& txn) {
    pqxx::result rows =
        expected_version
            ? txn.exec_prepared(statement, f.code, f.name, f.aimag, f.soum, f.ae_title, f.active,
                                OrNull(host), OrNull(port), OrNull(ae),
                                JoinNetworks(f.allowed_networks), f.require_tls, OrNull(sha256),
                                *expected_version)
            : txn.exec_prepared(statement, f.code, f.name, f.aimag, f.soum, f.ae_title, f.active,
                                OrNull(host), OrNull(port), OrNull(ae),
                                JoinNetworks(f.allowed_networks), f.require_tls, OrNull(sha256));
    if (rows.empty()) {
      const pqxx::result current =
          expected_version ? txn.exec_prepared("facility_by_code", f.code) : pqxx::result();
      if (current.empty()) throw AbortTransaction{Status::NotFound("no such facility")};
      throw AbortTransaction{Status::FailedPrecondition(
          "the facility was changed meanwhile: it is now version " +
          current[0][13].as<std::string>() + ", not " + std::to_string(*expected_version))};
    }
    stored = RowToFacility(rows[0]);
    if (!stored.active) txn.exec_prepared("facility_revoke_sessions", f.code);
    if (audit) audit->id = InsertAudit(txn, *audit);
  });
  if (!s.ok()) return s;
  return stored;
}

// PgPool turns a unique violation into kConflict (code or AE title taken).
Result<Facility> PgFacilityRepository::Create(const Facility& f, AuditEntry& audit) {
  return Write("facility_insert", f, std::nullopt, &audit);
}

Result<Facility> PgFacilityRepository::Update(const Facility& f, AuditEntry& audit) {
  return Write("facility_update", f, f.version, &audit);
}

Result<Facility> PgFacilityRepository::Upsert(const Facility& f) {
  return Write("facility_upsert", f, std::nullopt, nullptr);
}

}  // namespace telerad
