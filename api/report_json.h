// The JSON of a report (API.md's report object) and of its summary in a study view.
#pragma once

#include <nlohmann/json.hpp>

#include "src/base/model.h"

namespace telerad::api {

// The report with its addenda and delivery state.
nlohmann::json ReportJson(const Report& report);

// What a study view says of its report: status, version, critical, signer, delivery.
nlohmann::json ReportSummaryJson(const Report& report);

}  // namespace telerad::api
