// PgStudyBulkLoader: fills the study index with many realistic, generated studies through
// PostgreSQL's COPY, for benchmarks and capacity tests (bench/loader/load_studies.cpp). Never
// used by the server.
//
// The data: ~60 facilities across Mongolia's aimags and Ulaanbaatar's districts (codes
// "UB-01", "ARH-01"..., AE titles "TR_UB01"...; the capital's hospitals get more studies);
// modality classes CT 85 %, XRAY 12 %, OTHER 3 %; status reported 94.5 %, ready 4 %,
// claimed 0.4 %, receiving 0.3 %, cancelled 0.8 %; priority stat 5 %, urgent 20 %,
// routine 75 %; sla_due_at = ready_at + 1 h / 4 h / 24 h; series rows with instance counts
// (no instance rows: those are per file and the worklist never reads them); a signed
// report for each reported study (by one of the database's radiologists); Mongolian
// Cyrillic patient names. Study n of seed s is a pure function of (s, n) and of the load's
// reference time, so an interrupted load resumes where its last committed batch ended.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "src/base/status.h"
#include "src/index/facility_repository.h"

namespace telerad {

class PgPool;

// Registers (or updates) the generated facilities, codes "UB-01", "ARH-01"... with AE
// titles "TR_UB01"...; their ids, in the order of generated::kFacilities.
Result<std::vector<int64_t>> RegisterGeneratedFacilities(FacilityRepository& facilities);

struct BulkLoadSpec {
  int64_t studies = 0;     // wanted in total for this seed (already loaded ones count)
  uint32_t seed = 1;       // selects the UID range and the random data
  int batch_size = 20000;  // studies per COPY transaction
};

struct BulkLoadResult {
  int facilities = 0;
  int64_t studies_present = 0;  // of this seed, before the load
  int64_t studies_loaded = 0;
  int64_t series_loaded = 0;
  int64_t reports_loaded = 0;  // signed reports of the reported studies
};

class PgStudyBulkLoader {
 public:
  // REQUIRES: `pool` and `facilities` outlive this; construct during wiring (it
  // registers prepared statements).
  PgStudyBulkLoader(PgPool& pool, FacilityRepository& facilities);

  // Loads studies n = present..spec.studies-1 of the seed, one transaction per batch, then
  // VACUUM ANALYZEs the tables so plans and index-only scans are those of a settled
  // database. `progress` is called after each committed batch with the count so far.
  Result<BulkLoadResult> Load(const BulkLoadSpec& spec,
                              const std::function<void(int64_t loaded)>& progress);

  // The UID every study of `seed` starts with (followed by the study number).
  static std::string StudyUidPrefix(uint32_t seed);

 private:
  PgPool& pool_;
  FacilityRepository& facilities_;
};

}  // namespace telerad
