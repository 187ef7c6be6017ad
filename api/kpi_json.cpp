#include "api/kpi_json.h"

#include <cmath>

#include "api/csv.h"
#include "api/json_common.h"
#include "spdlog/fmt/fmt.h"

namespace telerad::api {
namespace {

using nlohmann::json;

constexpr const char* kPriorities[] = {"stat", "urgent", "routine"};

json Number(const std::optional<double>& v) {
  if (!v) return nullptr;
  if (std::floor(*v) == *v && std::fabs(*v) < 1e15) return static_cast<int64_t>(*v);
  return *v;
}

json TurnaroundJson(const std::optional<TurnaroundStats>& t) {
  if (!t || t->count == 0)
    return {{"signed", 0}, {"median_hours", nullptr}, {"p90_hours", nullptr}};
  return {{"signed", t->count},
          {"median_hours", KpiService::Hours(t->median_seconds)},
          {"p90_hours", KpiService::Hours(t->p90_seconds)},
          {"sla_breaches", t->sla_breaches}};
}

json FiguresJson(const KpiFigures& f) {
  json out = {
      {"studies_received", f.studies_received},
      {"diagnoses",
       {{"total", f.diagnoses()},
        {"CT", f.diagnoses_ct},
        {"XRAY", f.diagnoses_xray},
        {"OTHER", f.diagnoses_other}}},
      {"telemedicine_facilities", f.telemedicine_facilities},
  };
  if (f.has_consultations) {
    out["e_examinations"] = {{"booked", f.e_exams_booked},
                             {"completed", f.e_exams_completed},
                             {"cancelled", f.e_exams_cancelled},
                             {"no_show", f.e_exams_no_show}};
    out["online_hospital_facilities"] = f.online_hospital_facilities;
  }
  json turnaround = {{"all", TurnaroundJson(f.turnaround)}};
  for (int p = 0; p < 3; ++p)
    turnaround[kPriorities[p]] = TurnaroundJson(f.turnaround_by_priority[p]);
  out["turnaround"] = turnaround;
  const int64_t signed_count = f.turnaround ? f.turnaround->count : 0;
  out["sla_breaches"] = f.turnaround ? f.turnaround->sla_breaches : 0;
  out["sla_breach_percent"] =
      signed_count ? json(RoundHalfAway(100.0 * f.turnaround->sla_breaches / signed_count, 1))
                   : json(nullptr);
  return out;
}

json GroupJson(const KpiGroup& g, const KpiDimensions& dims) {
  json out = json::object();
  if (dims.time && g.key.time) out[ToString(*dims.time)] = PeriodOf(*dims.time, *g.key.time).Name();
  if (dims.facility)
    out["facility"] = {{"code", g.key.facility_code}, {"name", g.key.facility_name}};
  if (dims.aimag) out["aimag"] = g.key.aimag;
  if (dims.modality) out["modality_class"] = g.key.modality_class;
  out.update(FiguresJson(g.figures));
  return out;
}

std::string Hours(const std::optional<TurnaroundStats>& t, bool p90) {
  if (!t || t->count == 0) return "";
  return FormatFigure(KpiService::Hours(p90 ? t->p90_seconds : t->median_seconds));
}

}  // namespace

std::string FormatFigure(double value) {
  if (std::floor(value) == value && std::fabs(value) < 1e15) return fmt::format("{:.0f}", value);
  return fmt::format("{}", value);
}

json KpiFiguresJson(const KpiFiguresResult& r) {
  json backlog = {{"total", 0}};
  int64_t total = 0;
  for (const char* p : kPriorities)
    backlog[p] = {{"total", 0},  {"lt_1h", 0}, {"1h_4h", 0},
                  {"4h_24h", 0}, {"1d_7d", 0}, {"ge_7d", 0}};
  for (const BacklogBucket& b : r.backlog) {
    if (b.priority < 0 || b.priority > 2) continue;
    json& p = backlog[kPriorities[b.priority]];
    p[b.age] = b.studies;
    p["total"] = p["total"].get<int64_t>() + b.studies;
    total += b.studies;
  }
  backlog["total"] = total;

  json totals = FiguresJson(r.totals);
  totals["telemedicine_facilities_to_date"] = r.facilities_by_end.telemedicine;
  totals["online_hospital_facilities_to_date"] = r.facilities_by_end.online_hospital;
  json groups = json::array();
  for (const KpiGroup& g : r.groups) groups.push_back(GroupJson(g, r.dims));
  return {{"from", FormatDay(r.first)}, {"to", FormatDay(r.last)}, {"time_zone", r.time_zone},
          {"group_by", r.group_by},     {"totals", totals},        {"groups", groups},
          {"backlog", backlog}};
}

json KpiReportJson(const KpiReport& report) {
  json rows = json::array();
  for (const KpiReportRow& row : report.rows)
    rows.push_back(
        {{"indicator", row.indicator->id},
         {"label_mn", row.indicator->label_mn},
         {"label_en", row.indicator->label_en},
         {"unit", row.indicator->unit},
         {"baseline", Number(row.baseline)},
         {"target", Number(row.target)},
         {"achieved", Number(row.achieved)},
         {"percent", Number(row.percent)},
         {"target_period", row.target_period.empty() ? json(nullptr) : json(row.target_period)}});
  return {{"period", report.period.Name()},
          {"from", FormatDay(report.period.first)},
          {"to", FormatDay(report.period.last)},
          {"time_zone", report.time_zone},
          {"rows", rows}};
}

std::string KpiReportCsv(const KpiReport& report) {
  auto cell = [](const std::optional<double>& v) { return v ? FormatFigure(*v) : std::string(); };
  std::vector<std::vector<std::string>> rows = {
      {"indicator", "label_mn", "label_en", "baseline", "target", "achieved", "percent"}};
  for (const KpiReportRow& row : report.rows)
    rows.push_back({row.indicator->id, row.indicator->label_mn, row.indicator->label_en,
                    cell(row.baseline), cell(row.target), cell(row.achieved), cell(row.percent)});
  return CsvDocument(rows);
}

json KpiTargetJson(const KpiTarget& t) {
  return {{"indicator", t.indicator},       {"period", t.period},
          {"baseline", Number(t.baseline)}, {"target", Number(t.target)},
          {"updated_by", t.updated_by},     {"updated_at", FormatTime(t.updated_at)}};
}

std::string KpiFiguresCsv(const KpiFiguresResult& r) {
  std::vector<std::string> header;
  if (r.dims.time) header.push_back(ToString(*r.dims.time));
  if (r.dims.facility) header.insert(header.end(), {"facility_code", "facility_name"});
  if (r.dims.aimag) header.push_back("aimag");
  if (r.dims.modality) header.push_back("modality_class");
  for (const char* h :
       {"studies_received", "diagnoses", "diagnoses_ct", "diagnoses_xray", "diagnoses_other",
        "telemedicine_facilities", "e_examinations_completed", "online_hospital_facilities",
        "turnaround_median_hours", "turnaround_p90_hours", "sla_breach_percent"})
    header.push_back(h);
  std::vector<std::vector<std::string>> rows = {header};
  std::vector<KpiGroup> groups = r.groups;
  if (groups.empty()) groups.push_back({KpiGroupKey{}, r.totals});
  for (const KpiGroup& g : groups) {
    std::vector<std::string> row;
    if (r.dims.time) row.push_back(g.key.time ? PeriodOf(*r.dims.time, *g.key.time).Name() : "");
    if (r.dims.facility) row.insert(row.end(), {g.key.facility_code, g.key.facility_name});
    if (r.dims.aimag) row.push_back(g.key.aimag);
    if (r.dims.modality) row.push_back(g.key.modality_class);
    const KpiFigures& f = g.figures;
    const auto& t = f.turnaround;
    for (int64_t n : {f.studies_received, f.diagnoses(), f.diagnoses_ct, f.diagnoses_xray,
                      f.diagnoses_other, f.telemedicine_facilities})
      row.push_back(std::to_string(n));
    row.push_back(f.has_consultations ? std::to_string(f.e_exams_completed) : "");
    row.push_back(f.has_consultations ? std::to_string(f.online_hospital_facilities) : "");
    row.push_back(Hours(t, false));
    row.push_back(Hours(t, true));
    row.push_back(t && t->count ? FormatFigure(RoundHalfAway(100.0 * t->sla_breaches / t->count, 1))
                                : "");
    rows.push_back(row);
  }
  return CsvDocument(rows);
}

}  // namespace telerad::api
