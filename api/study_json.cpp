#include "api/study_json.h"

#include <cctype>

#include "api/json_common.h"

namespace telerad::api {
namespace {

void AppendTime(std::string& out, const std::optional<TimePoint>& t) {
  if (!t) {
    out += "null";
    return;
  }
  out += '"';
  out += FormatTime(*t);
  out += '"';
}

void AppendOptionalText(std::string& out, const std::string& text) {
  if (text.empty())
    out += "null";
  else
    AppendJsonString(out, text);
}

}  // namespace

std::string ViewerUrl(const std::string& study_uid) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string url = "/viewer?StudyInstanceUIDs=";
  for (unsigned char c : study_uid) {
    // RFC 3986 unreserved characters go as they are; a UID holds only digits and dots.
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~') {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += kHex[c >> 4];
      url += kHex[c & 15];
    }
  }
  return url;
}

nlohmann::json StudyJson(const Study& s, bool with_series) {
  nlohmann::json j = {
      {"study_uid", s.study_uid},
      {"status", ToString(s.status)},
      {"priority", ToString(s.priority)},
      {"modality_class", ToString(s.modality_class)},
      {"modalities", s.modalities},
      {"facility",
       {{"code", s.facility.code}, {"name", s.facility.name}, {"aimag", s.facility.aimag}}},
      {"patient",
       {{"id", s.patient.id},
        {"name", s.patient.name},
        {"birth_date", s.patient.birth_date.empty() ? nlohmann::json(nullptr)
                                                    : nlohmann::json(s.patient.birth_date)},
        {"sex", s.patient.sex}}},
      {"accession_number", s.accession_number},
      {"study_date", s.study_date.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.study_date)},
      {"description", s.description},
      {"clinical_info", s.clinical_info},
      {"num_series", s.num_series},
      {"num_instances", s.num_instances},
      {"size_bytes", s.size_bytes},
      {"received_at", FormatTime(s.received_at)},
      {"ready_at", OptionalTime(s.ready_at)},
      {"sla_due_at", OptionalTime(s.sla_due_at)},
      {"claimed_by", s.claimed_by ? nlohmann::json(*s.claimed_by) : nlohmann::json(nullptr)},
      {"claim_expires_at", OptionalTime(s.claim_expires_at)},
      {"reported_at", OptionalTime(s.reported_at)},
      {"critical_pending", s.critical_pending},
      {"report_status",
       s.report_status ? nlohmann::json(ToString(*s.report_status)) : nlohmann::json(nullptr)},
      {"viewer_url", ViewerUrl(s.study_uid)},
  };
  if (with_series) {
    nlohmann::json series = nlohmann::json::array();
    for (const auto& se : s.series)
      series.push_back({{"series_uid", se.series_uid},
                        {"modality", se.modality},
                        {"series_number", se.series_number ? nlohmann::json(*se.series_number)
                                                           : nlohmann::json(nullptr)},
                        {"description", se.description},
                        {"num_instances", se.num_instances}});
    j["series"] = std::move(series);
  }
  return j;
}

// Keys in the order nlohmann's std::map-backed objects print them: sorted.
void AppendStudyJson(std::string& out, const Study& s, bool with_series) {
  out += "{\"accession_number\":";
  AppendJsonString(out, s.accession_number);
  out += ",\"claim_expires_at\":";
  AppendTime(out, s.claim_expires_at);
  out += ",\"claimed_by\":";
  if (s.claimed_by)
    AppendJsonString(out, *s.claimed_by);
  else
    out += "null";
  out += ",\"clinical_info\":";
  AppendJsonString(out, s.clinical_info);
  out += ",\"critical_pending\":";
  out += s.critical_pending ? "true" : "false";
  out += ",\"description\":";
  AppendJsonString(out, s.description);
  out += ",\"facility\":{\"aimag\":";
  AppendJsonString(out, s.facility.aimag);
  out += ",\"code\":";
  AppendJsonString(out, s.facility.code);
  out += ",\"name\":";
  AppendJsonString(out, s.facility.name);
  out += "},\"modalities\":[";
  for (size_t i = 0; i < s.modalities.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, s.modalities[i]);
  }
  out += "],\"modality_class\":\"";
  out += ToString(s.modality_class);
  out += "\",\"num_instances\":";
  out += std::to_string(s.num_instances);
  out += ",\"num_series\":";
  out += std::to_string(s.num_series);
  out += ",\"patient\":{\"birth_date\":";
  AppendOptionalText(out, s.patient.birth_date);
  out += ",\"id\":";
  AppendJsonString(out, s.patient.id);
  out += ",\"name\":";
  AppendJsonString(out, s.patient.name);
  out += ",\"sex\":";
  AppendJsonString(out, s.patient.sex);
  out += "},\"priority\":\"";
  out += ToString(s.priority);
  out += "\",\"ready_at\":";
  AppendTime(out, s.ready_at);
  out += ",\"received_at\":";
  AppendTime(out, s.received_at);
  out += ",\"report_status\":";
  if (s.report_status) {
    out += '"';
    out += ToString(*s.report_status);
    out += '"';
  } else {
    out += "null";
  }
  out += ",\"reported_at\":";
  AppendTime(out, s.reported_at);
  if (with_series) {
    out += ",\"series\":[";
    for (size_t i = 0; i < s.series.size(); ++i) {
      const SeriesSummary& se = s.series[i];
      if (i > 0) out += ',';
      out += "{\"description\":";
      AppendJsonString(out, se.description);
      out += ",\"modality\":";
      AppendJsonString(out, se.modality);
      out += ",\"num_instances\":";
      out += std::to_string(se.num_instances);
      out += ",\"series_number\":";
      out += se.series_number ? std::to_string(*se.series_number) : "null";
      out += ",\"series_uid\":";
      AppendJsonString(out, se.series_uid);
      out += '}';
    }
    out += ']';
  }
  out += ",\"size_bytes\":";
  out += std::to_string(s.size_bytes);
  out += ",\"sla_due_at\":";
  AppendTime(out, s.sla_due_at);
  out += ",\"status\":\"";
  out += ToString(s.status);
  out += "\",\"study_date\":";
  AppendOptionalText(out, s.study_date);
  out += ",\"study_uid\":";
  AppendJsonString(out, s.study_uid);
  out += ",\"viewer_url\":";
  AppendJsonString(out, ViewerUrl(s.study_uid));
  out += '}';
}

}  // namespace telerad::api
