#include "api/vocabulary_json.h"

#include "api/json_common.h"

namespace telerad::api {
namespace {

// "" means any: null in JSON.
nlohmann::json AnyAsNull(const std::string& value) {
  return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
}

}  // namespace

nlohmann::json TemplateJson(const ReportTemplate& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"language", t.language},
          {"modality_class", AnyAsNull(t.modality_class)},
          {"body_part", AnyAsNull(t.body_part)},
          {"findings", t.findings},
          {"impression", t.impression},
          {"active", t.active},
          {"version", t.version},
          {"updated_at", FormatTime(t.updated_at)},
          {"updated_by", t.updated_by}};
}

nlohmann::json CodeJson(const DiagnosisCode& c) {
  return {{"system", ToString(c.system)},
          {"code", c.code},
          {"title_mn", c.title_mn},
          {"title_en", c.title_en}};
}

}  // namespace telerad::api
