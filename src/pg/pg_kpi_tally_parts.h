// The raw tallies of a KPI figures question read from the aggregate tables (schemas 0006,
// 0007, 0016) in one transaction: what PgKpiRepository computes when no remembered part
// answers (kpi_figures_cache.h).
#pragma once

#include <map>
#include <pqxx/pqxx>

#include "src/kpi/kpi_repository.h"
#include "src/kpi/kpi_tally.h"

namespace telerad {

// The tallies of `filter`'s window grouped by `dims`, read in `txn`: with
// `month_by_month` (only where the time bucket tells the month: grouped by day or month)
// one part per month, else one part under the window's first month.
std::map<date::sys_days, KpiTallies> ReadKpiTallyParts(pqxx::work& txn, const KpiDimensions& dims,
                                                       const KpiFilter& filter,
                                                       bool month_by_month);

}  // namespace telerad
