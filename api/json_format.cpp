#include "api/json_format.h"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace telerad::api {

std::string FormatTime(TimePoint t) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  if (ms < 0 && ms % 1000 != 0) --secs;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(((ms % 1000) + 1000) % 1000));
  return buf;
}

nlohmann::json OptionalTime(const std::optional<TimePoint>& t) {
  return t ? nlohmann::json(FormatTime(*t)) : nlohmann::json(nullptr);
}

std::optional<TimePoint> ParseTime(const std::string& text) {
  // YYYY-MM-DD, or RFC 3339: YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM).
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10)
    return std::nullopt;
  size_t pos = 10;
  long long micros = 0;
  int offset_minutes = 0;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't') return std::nullopt;
    if (std::sscanf(text.c_str() + pos + 1, "%2d:%2d:%2d%n", &h, &mi, &s, &used) != 3 || used != 8)
      return std::nullopt;
    pos += 9;
    if (pos < text.size() && text[pos] == '.') {
      long long scale = 100000;
      size_t digits = 0;
      for (++pos; pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])); ++pos) {
        if (digits++ < 6) micros += (text[pos] - '0') * scale, scale /= 10;
      }
      if (digits == 0) return std::nullopt;
    }
    if (pos == text.size()) return std::nullopt;  // a time needs its offset
    if (text[pos] == 'Z' || text[pos] == 'z') {
      ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
      int oh = 0, om = 0;
      if (std::sscanf(text.c_str() + pos + 1, "%2d:%2d%n", &oh, &om, &used) != 2 || used != 5 ||
          oh > 23 || om > 59)
        return std::nullopt;
      offset_minutes = (text[pos] == '+' ? 1 : -1) * (oh * 60 + om);
      pos += 6;
    }
    if (pos != text.size()) return std::nullopt;
  }
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || h > 23 || mi > 59 || s > 60)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return std::chrono::system_clock::from_time_t(timegm(&tm)) -
         std::chrono::minutes(offset_minutes) +
         std::chrono::duration_cast<TimePoint::duration>(std::chrono::microseconds(micros));
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

nlohmann::json OptionalText(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

nlohmann::json FacilityJson(const Facility& f) {
  nlohmann::json return_dicom = nullptr;
  if (f.return_dicom)
    return_dicom = {{"host", f.return_dicom->host},
                    {"port", f.return_dicom->port},
                    {"ae_title", f.return_dicom->ae_title}};
  return {{"code", f.code},
          {"name", f.name},
          {"aimag", f.aimag},
          {"soum", f.soum},
          {"ae_title", f.ae_title},
          {"active", f.active},
          {"return_dicom", return_dicom}};
}

nlohmann::json AuditEntryJson(const AuditEntry& e) {
  return {
      {"at", FormatTime(e.at)},       {"username", e.username},       {"role", e.role},
      {"action", e.action},           {"object_type", e.object_type}, {"object_id", e.object_id},
      {"remote_addr", e.remote_addr}, {"outcome", e.outcome}};
}

nlohmann::json UserJson(const UserRecord& u) {
  return {{"username", u.username},
          {"role", ToString(u.role)},
          {"facility_code",
           u.role == Role::kFacility ? nlohmann::json(u.facility_code) : nlohmann::json(nullptr)},
          {"active", u.active},
          {"demo", u.demo},
          {"created_at", FormatTime(u.created_at)}};
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

nlohmann::json ConsultationJson(const Consultation& c) {
  return {
      {"id", c.id},
      {"facility",
       {{"code", c.facility.code}, {"name", c.facility.name}, {"aimag", c.facility.aimag}}},
      {"patient",
       {{"id", c.patient.id},
        {"name", c.patient.name},
        {"birth_date", c.patient.birth_date.empty() ? nlohmann::json(nullptr)
                                                    : nlohmann::json(c.patient.birth_date)},
        {"sex", c.patient.sex}}},
      {"specialty", c.specialty},
      {"reason", c.reason},
      {"requested_at", FormatTime(c.requested_at)},
      {"status", ToString(c.status)},
      {"slot_at", OptionalTime(c.slot_at)},
      {"specialist", OptionalText(c.specialist)},
      {"conclusion", c.conclusion},
      {"icd_codes", c.icd_codes},
      {"cancel_reason", c.cancel_reason},
      {"version", c.version},
      {"created_at", FormatTime(c.created_at)},
      {"accepted_at", OptionalTime(c.accepted_at)},
      {"completed_at", OptionalTime(c.completed_at)},
      {"closed_at", OptionalTime(c.closed_at)},
  };
}

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

namespace {

// True when `text` is well-formed UTF-8 (what nlohmann's serializer accepts unchanged).
bool IsUtf8(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if ((c >> 5) == 0x6) {
      len = 2, cp = c & 0x1F;
    } else if ((c >> 4) == 0xE) {
      len = 3, cp = c & 0x0F;
    } else if ((c >> 3) == 0x1E) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > text.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return false;
    i += len;
  }
  return true;
}

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

void AppendJsonString(std::string& out, const std::string& text) {
  if (!IsUtf8(text)) {
    // Rare (a mislabelled DICOM file): let nlohmann apply its replacement rules.
    out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out += '"';
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
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
  out += '}';
}

}  // namespace telerad::api
