// PgDemoLoader: writes the demo data set (src/demo_data.h) into a new database, for
// `telerad demo-data`. Everything goes through ordinary INSERTs into the base tables
// (facility, app_user, study, series, report, consultation, kpi_target), so the
// schema's triggers count the KPI aggregates exactly as they do for live traffic.
// Thread-safe (PgPool is); meant to run once per database.
#pragma once

#include <cstdint>
#include <string>

#include "src/base/status.h"
#include "src/demo/demo_data.h"

namespace telerad {

class PgPool;

struct DemoLoadResult {
  int facilities_created = 0;
  int accounts_created = 0;
  int64_t studies = 0;
  int64_t reports = 0;
  int64_t consultations = 0;
  int targets = 0;
};

class PgDemoLoader {
 public:
  // REQUIRES: `pool` outlives this; construct during wiring (registers statements).
  explicit PgDemoLoader(PgPool& pool);

  // Loads `data` in one transaction: on any failure nothing is written. New demo
  // accounts (data.radiologists and data.specialists beyond seed-demo's rad1 and spec1,
  // and the facilities' booking users) get `password_hash` (one hash for all: they share
  // the demo password anyway) and the demo flag.
  // kFailedPrecondition when seed-demo has not run (no DEMO facility, rad1 or spec1);
  // kConflict when demo data is already loaded, or the database already holds studies
  // or e-examinations (demo data is for a new data folder); kUnavailable when the
  // database is down.
  Result<DemoLoadResult> Load(const DemoData& data, const std::string& password_hash);

 private:
  PgPool& pool_;
};

}  // namespace telerad
