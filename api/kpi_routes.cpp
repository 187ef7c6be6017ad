// KPIs: GET /api/v1/kpi, GET /api/v1/kpi/report, and the targets under
// /api/v1/kpi/targets. JSON, or CSV for `Accept: text/csv` (spreadsheets).
#include <pistache/http_header.h>

#include "api/csv.h"
#include "api/kpi_json.h"
#include "api/query_params.h"
#include "api/request_body.h"
#include "api/route_table.h"

namespace telerad::api {
namespace {

// True when the client asks for CSV: an Accept header naming text/csv (a browser's
// "text/html,...,*/*" keeps JSON), or format=csv for a plain link.
bool WantsCsv(const Pistache::Rest::Request& req) {
  if (auto format = req.query().get("format"); format && *format == "csv") return true;
  auto accept = req.headers().tryGet<Pistache::Http::Header::Accept>();
  if (!accept) return false;
  for (const auto& media : accept->media())
    if (media.toString().rfind("text/csv", 0) == 0) return true;
  return false;
}

Reply Csv(std::string body, const std::string& filename) {
  Reply reply;
  reply.body = std::move(body);
  reply.content_type = "text/csv; charset=utf-8";
  reply.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return reply;
}

std::vector<std::string> SplitComma(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string Hours(const std::optional<TurnaroundStats>& t, bool p90) {
  if (!t || t->count == 0) return "";
  return FormatFigure(KpiService::Hours(p90 ? t->p90_seconds : t->median_seconds));
}

// The grouped figures as a flat table: the group's keys, then its main figures.
std::string FiguresCsv(const KpiFiguresResult& r) {
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

// A baseline or target in a request body: a number, null (none) or absent (none).
std::optional<Reply> GetNumber(const nlohmann::json& body, const char* field,
                               std::optional<double>& out) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number())
    return Reply::Error(422, "invalid_field", std::string("'") + field + "' must be a number");
  out = it->get<double>();
  return std::nullopt;
}

}  // namespace

void AddKpiRoutes(RouteTable& routes, ApiServices& services) {
  using Pistache::Http::Method;
  routes.push_back({Method::Get,
                    "/api/v1/kpi",
                    kAllowAdmin | kAllowMinistry,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      KpiRequest q;
                      std::string group_by;
                      for (auto [name, out] : {std::pair{"period", &q.period},
                                               {"from", &q.from},
                                               {"to", &q.to},
                                               {"group_by", &group_by},
                                               {"facility", &q.facility_code},
                                               {"aimag", &q.aimag}})
                        if (auto e = TextParam(req, name, *out)) return *e;
                      q.group_by = SplitComma(group_by);
                      auto figures = services.kpi->Figures(*ctx.principal, q);
                      if (!figures.ok()) return Reply::Error(figures.status());
                      if (WantsCsv(req))
                        return Csv(FiguresCsv(*figures), "telerad-kpi-" +
                                                             FormatDay(figures->first) + "-" +
                                                             FormatDay(figures->last) + ".csv");
                      return Reply::Json(KpiFiguresJson(*figures));
                    },
                    {}});
  routes.push_back({Method::Get,
                    "/api/v1/kpi/report",
                    kAllowAdmin | kAllowMinistry,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      std::string period;
                      if (auto e = TextParam(req, "period", period)) return *e;
                      if (period.empty())
                        return Reply::Error(400, "invalid_argument",
                                            "give the report's period, e.g. period=2025H1");
                      auto report = services.kpi->Report(*ctx.principal, period);
                      if (!report.ok()) return Reply::Error(report.status());
                      if (WantsCsv(req))
                        return Csv(KpiReportCsv(*report),
                                   "telerad-kpi-report-" + report->period.Name() + ".csv");
                      return Reply::Json(KpiReportJson(*report));
                    },
                    {}});
  routes.push_back({Method::Get,
                    "/api/v1/kpi/targets",
                    kAllowAdmin | kAllowMinistry,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      std::string period;
                      if (auto e = TextParam(req, "period", period)) return *e;
                      auto targets = services.kpi->Targets(*ctx.principal, period);
                      if (!targets.ok()) return Reply::Error(targets.status());
                      nlohmann::json items = nlohmann::json::array();
                      for (const KpiTarget& t : *targets) items.push_back(KpiTargetJson(t));
                      return Reply::Json({{"items", items}});
                    },
                    {}});
  routes.push_back({Method::Put,
                    "/api/v1/kpi/targets/:period/:indicator",
                    kAllowAdmin,
                    [&services](const Pistache::Rest::Request& req, RequestContext& ctx) {
                      const auto period = req.param(":period").as<std::string>();
                      const auto indicator = req.param(":indicator").as<std::string>();
                      ctx.audit_object_id = (period + "/" + indicator).substr(0, 128);
                      nlohmann::json body;
                      if (auto error = ParseObject(req, body)) return *error;
                      std::optional<double> baseline, target;
                      if (auto e = GetNumber(body, "baseline", baseline)) return *e;
                      if (auto e = GetNumber(body, "target", target)) return *e;
                      auto saved = services.kpi->PutTarget(*ctx.principal, indicator, period,
                                                           baseline, target);
                      if (!saved.ok()) return Reply::Error(saved.status());
                      return Reply::Json(KpiTargetJson(*saved));
                    },
                    {"kpi_target.set", "kpi_target", ""}});
  routes.push_back({Method::Delete,
                    "/api/v1/kpi/targets/:period/:indicator",
                    kAllowAdmin,
                    [&services](const Pistache::Rest::Request& req, RequestContext& ctx) {
                      const auto period = req.param(":period").as<std::string>();
                      const auto indicator = req.param(":indicator").as<std::string>();
                      ctx.audit_object_id = (period + "/" + indicator).substr(0, 128);
                      Status s = services.kpi->DeleteTarget(*ctx.principal, indicator, period);
                      if (!s.ok()) return Reply::Error(s);
                      Reply reply;
                      reply.status = 204;
                      return reply;
                    },
                    {"kpi_target.delete", "kpi_target", ""}});
}

}  // namespace telerad::api
