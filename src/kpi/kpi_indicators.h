// The indicators of the ministry's half-year report that telerad produces (README,
// "KPIs"), with the labels the report prints. Their ids are fixed: targets are stored
// under them, and the demo data and API clients name them.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace telerad {

struct KpiIndicator {
  std::string id;        // e.g. "image_diagnoses"
  std::string label_mn;  // as the ministry's report words it
  std::string label_en;
  std::string unit;       // "count", "hours", "percent"
  bool higher_is_better;  // how fulfilment is computed (FulfilmentPercent)
};

// Every indicator, in the report's order.
const std::vector<KpiIndicator>& KpiIndicators();

const KpiIndicator* FindKpiIndicator(const std::string& id);

}  // namespace telerad
