// The JSON of the reading desk's reference data: report templates and diagnosis codes.
#pragma once

#include <nlohmann/json.hpp>

#include "src/vocabulary/diagnosis_code.h"
#include "src/vocabulary/report_template.h"

namespace telerad::api {

// A template: id, name, language, modality_class and body_part (null: any), findings,
// impression, active, version, updated_at, updated_by.
nlohmann::json TemplateJson(const ReportTemplate& t);

// A code: system ("icd10", "icd11"), code, title_mn, title_en.
nlohmann::json CodeJson(const DiagnosisCode& c);

}  // namespace telerad::api
