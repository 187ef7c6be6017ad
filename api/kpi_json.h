// JSON and CSV forms of the KPI figures, the ministry's table and the targets.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "src/kpi/kpi_service.h"

namespace telerad::api {

nlohmann::json KpiFiguresJson(const KpiFiguresResult& result);
// The grouped figures as CSV (csv.h): the group's keys, then its main figures, one row
// per group (one row of totals when ungrouped).
std::string KpiFiguresCsv(const KpiFiguresResult& result);
nlohmann::json KpiReportJson(const KpiReport& report);
// The table as CSV (csv.h): a header row, then one row per indicator.
std::string KpiReportCsv(const KpiReport& report);
nlohmann::json KpiTargetJson(const KpiTarget& target);

// A figure as the report prints it: whole numbers without a decimal point.
std::string FormatFigure(double value);

}  // namespace telerad::api
