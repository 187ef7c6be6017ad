// PgConsultationBulkLoader: fills the online hospital's consultation table with many
// generated e-examinations through PostgreSQL's COPY, for the KPI benchmark
// (bench/kpi.sh, via telerad-bench-load). Never used by the server.
//
// The data: e-examinations booked by the generated facilities (RegisterGeneratedFacilities,
// evenly: family and soum health centres use the online hospital as much as the capital's
// hospitals), over the two years before the load; completed 82 %, cancelled 7 %, no-show
// 4 %, accepted 3 %, requested 4 % (the open ones in the last two weeks); a specialist of
// the database for each accepted one; Mongolian Cyrillic patient names. The KPI triggers
// count every row as it is copied, exactly as for consultations made over the API.
// Consultation n of a seed depends only on (seed, n) and the load's reference time.
#pragma once

#include <cstdint>
#include <functional>

#include "src/base/status.h"
#include "src/index/facility_repository.h"

namespace telerad {

class PgPool;

struct ConsultationLoadSpec {
  int64_t consultations = 0;  // wanted in the table in total (rows already there count)
  uint32_t seed = 1;
  int batch_size = 20000;  // rows per COPY transaction
};

struct ConsultationLoadResult {
  int64_t present = 0;  // rows in the table before the load
  int64_t loaded = 0;
};

class PgConsultationBulkLoader {
 public:
  // REQUIRES: `pool` and `facilities` outlive this; construct during wiring (it
  // registers prepared statements).
  PgConsultationBulkLoader(PgPool& pool, FacilityRepository& facilities);

  // Loads rows until the table holds spec.consultations, one transaction per batch, then
  // VACUUM ANALYZEs. kFailedPrecondition when the database has no active specialist or
  // facility user (run `telerad seed-demo` first). `progress` gets the table's count
  // after each committed batch.
  Result<ConsultationLoadResult> Load(const ConsultationLoadSpec& spec,
                                      const std::function<void(int64_t present)>& progress);

 private:
  PgPool& pool_;
  FacilityRepository& facilities_;
};

}  // namespace telerad
