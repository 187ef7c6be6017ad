#include "src/pg_facility_repository.h"

#include "src/pg_pool.h"
#include "src/pg_row.h"

namespace telerad {
namespace {

constexpr const char* kColumns =
    "id, code, name, aimag, soum, ae_title, active, return_host, return_port, return_ae_title";

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
  return f;
}

}  // namespace

PgFacilityRepository::PgFacilityRepository(PgPool& pool) : pool_(pool) {
  pool_.Prepare("facility_by_ae",
                std::string("SELECT ") + kColumns + " FROM facility WHERE ae_title = $1");
  pool_.Prepare("facility_upsert",
                "INSERT INTO facility (code, name, aimag, soum, ae_title, active, return_host,"
                " return_port, return_ae_title) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::int, $9)"
                " ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, aimag = EXCLUDED.aimag,"
                " soum = EXCLUDED.soum, ae_title = EXCLUDED.ae_title, active = EXCLUDED.active,"
                " return_host = EXCLUDED.return_host, return_port = EXCLUDED.return_port,"
                " return_ae_title = EXCLUDED.return_ae_title RETURNING " +
                    std::string(kColumns));
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

Result<Facility> PgFacilityRepository::Upsert(const Facility& f) {
  Facility stored;
  std::optional<std::string> host, port, ae;
  if (f.return_dicom) {
    host = f.return_dicom->host;
    port = std::to_string(f.return_dicom->port);
    ae = f.return_dicom->ae_title;
  }
  Status s = pool_.Run([&](pqxx::work& txn) {
    stored = RowToFacility(txn.exec_prepared1("facility_upsert", f.code, f.name, f.aimag, f.soum,
                                              f.ae_title, f.active, OrNull(host), OrNull(port),
                                              OrNull(ae)));
  });
  if (!s.ok()) return s;
  return stored;
}

}  // namespace telerad
