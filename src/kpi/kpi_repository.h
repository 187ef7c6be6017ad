// KpiRepository: the KPI figures as PostgreSQL holds them (schemas 0006, 0007, 0016).
// Counts come from the daily and monthly aggregates, turnaround and breaches from the
// histograms (national per day and month; per facility per month), all kept by triggers
// in the same transaction as each event, so they are right with any number of server
// processes; only the edge days of a window asked by facility or aimag are read from the
// signed studies' index. Aggregates only: nothing here returns a patient's data.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/base/audit_entry.h"
#include "src/base/status.h"
#include "src/kpi/kpi_period.h"

namespace telerad {

class KpiFiguresCache;

// What figures are grouped by: at most one time grain, and any of facility, aimag and
// modality class.
struct KpiDimensions {
  std::optional<TimeGrain> time;
  bool facility = false;
  bool aimag = false;
  bool modality = false;
};

struct KpiFilter {
  date::sys_days first;  // local days, inclusive
  date::sys_days last;
  std::chrono::system_clock::time_point start;  // where `first` begins, in the zone
  std::chrono::system_clock::time_point end;    // where the day after `last` begins
  std::string time_zone;
  std::string facility_code;  // "" = every facility
  std::string aimag;          // "" = every aimag
};

struct TurnaroundStats {
  int64_t count = 0;
  double median_seconds = 0;
  double p90_seconds = 0;
  int64_t sla_breaches = 0;  // signed after the study's deadline (sla_due_at)
};

// The figures of one group (or of the whole period).
struct KpiFigures {
  int64_t studies_received = 0;
  int64_t diagnoses_ct = 0;
  int64_t diagnoses_xray = 0;
  int64_t diagnoses_other = 0;
  int64_t telemedicine_facilities = 0;  // active facilities that sent a study in the window
  // E-examinations; absent when grouped by modality class, which they do not have.
  bool has_consultations = false;
  int64_t e_exams_booked = 0;
  int64_t e_exams_completed = 0;
  int64_t e_exams_cancelled = 0;
  int64_t e_exams_no_show = 0;
  int64_t online_hospital_facilities = 0;  // active facilities with a completed e-exam
  std::array<std::optional<TurnaroundStats>, 3> turnaround_by_priority;  // stat, urgent, routine
  std::optional<TurnaroundStats> turnaround;                             // all priorities

  int64_t diagnoses() const { return diagnoses_ct + diagnoses_xray + diagnoses_other; }
};

struct KpiGroupKey {
  std::optional<date::sys_days> time;  // first day of the bucket
  std::string facility_code;
  std::string facility_name;
  std::string aimag;
  std::string modality_class;

  bool operator<(const KpiGroupKey& o) const;
};

struct KpiGroup {
  KpiGroupKey key;
  KpiFigures figures;
};

// The figures of a window: its totals, and its groups when grouped.
struct KpiGroupedFigures {
  KpiFigures totals;
  std::vector<KpiGroup> groups;  // empty when no dimension is asked for
};

// Active facilities that have used each service on or before a day.
struct FacilitiesUsing {
  int64_t telemedicine = 0;
  int64_t online_hospital = 0;
};

// Studies waiting for a report now (ready or claimed), by priority and by how long since
// they became ready.
struct BacklogBucket {
  int priority = 2;     // 0 stat, 1 urgent, 2 routine
  std::string age;      // "lt_1h", "1h_4h", "4h_24h", "1d_7d", "ge_7d"
  int64_t studies = 0;  //
};

// Running totals per facility for the Prometheus counters (all time; schema 0016).
struct FacilityTotals {
  std::string facility_code;
  std::string aimag;
  std::string modality_class;  // "" for the e-examination rows
  int64_t received = 0;
  int64_t diagnosed = 0;
  int64_t e_exams_completed = 0;
};

struct KpiTarget {
  std::string indicator;
  std::string period;  // canonical period name
  std::optional<double> baseline;
  std::optional<double> target;
  std::string updated_by;
  std::chrono::system_clock::time_point updated_at;
};

class KpiRepository {
 public:
  virtual ~KpiRepository() = default;

  // Makes `zone` the zone the aggregates are counted in; true when it changed and the
  // aggregates were recounted.
  virtual Result<bool> SetTimeZone(const std::string& zone) = 0;

  // The figures of the filter's window, in total and grouped by `dims`, from one
  // snapshot. Turnaround percentiles come from the histograms (schemas 0007, 0016),
  // interpolated within their 10 % buckets (src/kpi_histogram.h). With a `cache`, each
  // month's change count is read in that snapshot first; the cache's answer is returned
  // when no month has moved since it was built, else only the parts of the window whose
  // remembered tallies are not at their counts are computed, and merged with the others
  // (kpi_figures_cache.h); a request that finds the same question being computed at the
  // same counts waits for that answer (kpi_answer_flights.h).
  virtual Result<KpiGroupedFigures> Figures(const KpiDimensions& dims, const KpiFilter& filter,
                                            KpiFiguresCache* cache) = 0;

  virtual Result<FacilitiesUsing> FacilitiesUsingBy(date::sys_days last,
                                                    const std::string& facility_code,
                                                    const std::string& aimag) = 0;
  virtual Result<std::vector<BacklogBucket>> Backlog() = 0;
  virtual Result<std::vector<FacilityTotals>> Totals() = 0;

  virtual Result<std::vector<KpiTarget>> Targets(const std::string& period) = 0;  // "" = all
  // Both append `audit` in the same transaction as the change (its id set); a failed
  // append rolls it back. kNotFound (nothing deleted, nothing appended) when there was none.
  virtual Result<KpiTarget> PutTarget(const KpiTarget& target, AuditEntry& audit) = 0;
  virtual Status DeleteTarget(const std::string& indicator, const std::string& period,
                              AuditEntry& audit) = 0;
};

}  // namespace telerad
