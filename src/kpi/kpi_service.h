// KpiService: the national telemedicine and online-hospital figures (DESIGN.md, "KPIs";
// README, "KPIs" defines each). Ministry staff and admins read them; admins set the
// baselines and targets the ministry's table compares with. Aggregates only: no figure
// carries a patient's data, whichever way it is grouped. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "src/base/model.h"
#include "src/base/status.h"
#include "src/kpi/kpi_figures_cache.h"
#include "src/kpi/kpi_indicators.h"
#include "src/kpi/kpi_period.h"
#include "src/kpi/kpi_repository.h"

namespace telerad {

struct KpiRequest {
  std::string period;                 // a period name, or "" with from/to
  std::string from, to;               // local days, inclusive
  std::vector<std::string> group_by;  // day|month|quarter|half|year, facility, aimag, modality
  std::string facility_code;          // filters; "" = all
  std::string aimag;
};

struct KpiFiguresResult {
  date::sys_days first, last;
  std::string time_zone;
  std::vector<std::string> group_by;  // canonical, as requested
  KpiDimensions dims;
  KpiFigures totals;
  FacilitiesUsing facilities_by_end;  // active facilities that used each service by `last`
  std::vector<KpiGroup> groups;
  std::vector<BacklogBucket> backlog;  // now, whatever the window
};

struct KpiReportRow {
  const KpiIndicator* indicator = nullptr;
  std::optional<double> baseline, target, achieved, percent;
  std::string target_period;  // the period the baseline and target were set for, or ""
};

struct KpiReport {
  KpiPeriod period;
  std::string time_zone;
  std::vector<KpiReportRow> rows;
};

// The longest window one request may cover, and the longest grouped by day.
inline constexpr int kMaxKpiWindowDays = 20 * 366;
inline constexpr int kMaxKpiDailyWindowDays = 2 * 366;

class KpiService {
 public:
  // `time_zone`: config time_zone (validated); `cache_answers`: config kpi_cache_answers
  // (0: every answer computed afresh).
  KpiService(KpiRepository& repository, std::string time_zone, int cache_answers = 0);

  // Makes the database count in the configured zone (recounting when it changed); called
  // once at start-up.
  Result<bool> ApplyTimeZone();

  // Figures of a window, grouped. Ministry and admins only (kPermissionDenied);
  // kInvalidArgument for a bad period, range or grouping.
  Result<KpiFiguresResult> Figures(const Principal& who, const KpiRequest& request);

  // The ministry's table for one period: every indicator with baseline, target, achieved
  // and fulfilment. Targets set for the period itself win; otherwise the year's.
  Result<KpiReport> Report(const Principal& who, const std::string& period);

  Result<std::vector<KpiTarget>> Targets(const Principal& who, const std::string& period);
  // Admins only. kNotFound for an unknown indicator; kInvalidArgument for a bad period;
  // kUnprocessable for a negative or non-finite number, or neither number given. The
  // change's `audit` entry is appended in its own transaction (its id set).
  Result<KpiTarget> PutTarget(const Principal& who, const std::string& indicator,
                              const std::string& period, std::optional<double> baseline,
                              std::optional<double> target, AuditEntry& audit);
  Status DeleteTarget(const Principal& who, const std::string& indicator, const std::string& period,
                      AuditEntry& audit);

  // Turnaround in hours to two decimals, as reports print it.
  static double Hours(double seconds);

  // The answers kept in memory, for the metrics of how often they serve.
  const KpiFiguresCache& cache() const { return cache_; }

 private:
  Result<KpiFilter> Window(const KpiRequest& request) const;

  KpiRepository& repository_;
  const std::string time_zone_;
  KpiFiguresCache cache_;
  const bool use_cache_;
};

}  // namespace telerad
