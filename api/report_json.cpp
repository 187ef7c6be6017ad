#include "api/report_json.h"

#include "api/json_common.h"

namespace telerad::api {

nlohmann::json ReportJson(const Report& r) {
  nlohmann::json addenda = nlohmann::json::array();
  for (const Addendum& a : r.addenda)
    addenda.push_back(
        {{"text", a.text}, {"author", a.author}, {"created_at", FormatTime(a.created_at)}});
  return {
      {"study_uid", r.study_uid},
      {"status", ToString(r.status)},
      {"version", r.version},
      {"findings", r.findings},
      {"impression", r.impression},
      {"icd_codes", r.icd_codes},
      {"critical", r.critical},
      {"critical_acknowledged_by", OptionalText(r.critical_acknowledged_by)},
      {"critical_acknowledged_at", OptionalTime(r.critical_acknowledged_at)},
      {"author", r.author},
      {"created_at", FormatTime(r.created_at)},
      {"updated_at", FormatTime(r.updated_at)},
      {"signed_by", OptionalText(r.signed_by)},
      {"signed_at", OptionalTime(r.signed_at)},
      {"addenda", std::move(addenda)},
      {"delivery",
       {{"state", ToString(r.delivery.state)},
        {"attempts", r.delivery.attempts},
        {"last_error", r.delivery.last_error.empty() ? nlohmann::json(nullptr)
                                                     : nlohmann::json(r.delivery.last_error)},
        {"next_attempt_at", OptionalTime(r.delivery.next_attempt_at)},
        {"delivered_at", OptionalTime(r.delivery.delivered_at)}}},
  };
}

nlohmann::json ReportSummaryJson(const Report& r) {
  return {{"status", ToString(r.status)},
          {"version", r.version},
          {"critical", r.critical},
          {"author", r.author},
          {"signed_by", OptionalText(r.signed_by)},
          {"signed_at", OptionalTime(r.signed_at)},
          {"num_addenda", r.addenda.size()},
          {"delivery_state", ToString(r.delivery.state)}};
}

}  // namespace telerad::api
