// telerad-bench-load: fills a telerad database with generated studies (and their signed
// reports) and e-examinations for the worklist and KPI benchmarks (bench/worklist.sh,
// bench/kpi.sh), through the repository layer's COPY loaders.
//
//   telerad-bench-load --db URL --studies N [--consultations M] [--seed S] [--batch B]
//
// The database must be migrated (`telerad migrate`); run `telerad seed-demo` first so
// that claimed studies have a radiologist. Studies already loaded for the seed count
// towards N (and consultations in the table towards M), so a second run with the same
// figures does nothing and an interrupted run resumes. Exit codes: 0 ok, 2 usage, 4 database error.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "bench/loader/pg_consultation_bulk_loader.h"
#include "bench/loader/pg_study_bulk_loader.h"
#include "src/base/logging.h"
#include "src/pg/pg_facility_repository.h"
#include "src/pg/pg_pool.h"

namespace {

constexpr const char* kUsage =
    "usage: telerad-bench-load --db URL --studies N [--consultations M] [--seed S] [--batch B]\n"
    "  --db URL       libpq conninfo of a migrated telerad database\n"
    "  --studies N    studies wanted in total for this seed (0..100000000)\n"
    "  --consultations M  e-examinations wanted in the table in total (default 0)\n"
    "  --seed S       data set (default 1); different seeds never share UIDs\n"
    "  --batch B      studies per COPY transaction (default 20000)\n";

bool ParseNumber(const std::string& text, long long lo, long long hi, long long* out) {
  try {
    size_t used = 0;
    long long v = std::stoll(text, &used);
    if (used != text.size() || v < lo || v > hi) return false;
    *out = v;
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace telerad;
  std::string db;
  long long studies = -1, consultations = 0, seed = 1, batch = 20000;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--db" && has_value) {
      db = argv[++i];
    } else if (arg == "--studies" && has_value) {
      if (!ParseNumber(argv[++i], 0, 100000000, &studies)) studies = -2;
    } else if (arg == "--consultations" && has_value) {
      if (!ParseNumber(argv[++i], 0, 100000000, &consultations)) consultations = -1;
    } else if (arg == "--seed" && has_value) {
      if (!ParseNumber(argv[++i], 0, 4294967295LL, &seed)) seed = -1;
    } else if (arg == "--batch" && has_value) {
      if (!ParseNumber(argv[++i], 1, 1000000, &batch)) batch = -1;
    } else {
      std::cerr << "telerad-bench-load: unexpected argument '" << arg << "'\n" << kUsage;
      return 2;
    }
  }
  if (db.empty() || studies < 0 || consultations < 0 || seed < 0 || batch < 1) {
    std::cerr << "telerad-bench-load: --db and a valid --studies are required\n" << kUsage;
    return 2;
  }
  SetUpLogging("warn");

  // One connection; no statement timeout, since the final VACUUM ANALYZE of a million
  // rows takes longer than any request should.
  PgPool pool(db, 1, 0);
  PgFacilityRepository facilities(pool);
  PgStudyBulkLoader loader(pool, facilities);
  PgConsultationBulkLoader consultation_loader(pool, facilities);
  BulkLoadSpec spec;
  spec.studies = studies;
  spec.seed = static_cast<uint32_t>(seed);
  spec.batch_size = static_cast<int>(batch);

  const auto begin = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  };
  auto result = loader.Load(spec, [&](int64_t loaded) {
    std::fprintf(stderr, "\rloaded %lld of %lld studies (%.0f s)", static_cast<long long>(loaded),
                 studies, elapsed());
  });
  std::fprintf(stderr, "\n");
  if (!result.ok()) {
    std::cerr << "telerad-bench-load: " << result.status().ToString() << "\n";
    return 4;
  }
  const double study_seconds = elapsed();
  std::printf(
      "facilities=%d studies_present=%lld studies_loaded=%lld series_loaded=%lld "
      "reports_loaded=%lld seconds=%.1f studies_per_s=%.0f\n",
      result->facilities, static_cast<long long>(result->studies_present),
      static_cast<long long>(result->studies_loaded), static_cast<long long>(result->series_loaded),
      static_cast<long long>(result->reports_loaded), study_seconds,
      study_seconds > 0 ? result->studies_loaded / study_seconds : 0.0);
  if (consultations == 0) return 0;

  ConsultationLoadSpec cspec;
  cspec.consultations = consultations;
  cspec.seed = spec.seed;
  cspec.batch_size = spec.batch_size;
  auto loaded = consultation_loader.Load(cspec, [&](int64_t present) {
    std::fprintf(stderr, "\rconsultations: %lld of %lld (%.0f s)", static_cast<long long>(present),
                 consultations, elapsed() - study_seconds);
  });
  std::fprintf(stderr, "\n");
  if (!loaded.ok()) {
    std::cerr << "telerad-bench-load: " << loaded.status().ToString() << "\n";
    return 4;
  }
  const double seconds = elapsed() - study_seconds;
  std::printf("consultations_present=%lld consultations_loaded=%lld seconds=%.1f rows_per_s=%.0f\n",
              static_cast<long long>(loaded->present), static_cast<long long>(loaded->loaded),
              seconds, seconds > 0 ? loaded->loaded / seconds : 0.0);
  return 0;
}
