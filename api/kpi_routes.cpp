// KPIs: GET /api/v1/kpi, GET /api/v1/kpi/report, and the targets under
// /api/v1/kpi/targets. JSON, or CSV for `Accept: text/csv` (spreadsheets).
#include "api/accept_header.h"
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
  auto accept = req.headers().tryGetRaw("Accept");
  if (!accept) return false;
  auto ranges = ParseAccept(accept->value());  // checked before the route ran
  if (!ranges.ok()) return false;
  for (const AcceptRange& range : *ranges)
    if (range.media.Essence() == "text/csv" && range.q > 0) return true;
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

// A baseline or target in a request body: a number, null (none) or absent (none).
Status GetNumber(const nlohmann::json& body, const char* field, std::optional<double>& out) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return Status::Ok();
  if (!it->is_number())
    return Status::Unprocessable(std::string("'") + field + "' must be a number");
  out = it->get<double>();
  return Status::Ok();
}

// The figures for a period, grouped by any of time, facility, aimag and modality.
Result<Reply> GetFigures(ApiServices& services, const Pistache::Rest::Request& req,
                         RequestContext& ctx) {
  KpiRequest q;
  std::string group_by;
  for (auto [name, out] : {std::pair{"period", &q.period},
                           {"from", &q.from},
                           {"to", &q.to},
                           {"group_by", &group_by},
                           {"facility", &q.facility_code},
                           {"aimag", &q.aimag}})
    if (Status s = TextParam(req, name, *out); !s.ok()) return s;
  q.group_by = SplitComma(group_by);
  auto figures = services.kpi->Figures(*ctx.principal, q);
  if (!figures.ok()) return figures.status();
  if (WantsCsv(req))
    return Csv(KpiFiguresCsv(*figures), "telerad-kpi-" + FormatDay(figures->first) + "-" +
                                            FormatDay(figures->last) + ".csv");
  return Reply::Json(KpiFiguresJson(*figures));
}

// The ministry's half-year table against its targets.
Result<Reply> GetReport(ApiServices& services, const Pistache::Rest::Request& req,
                        RequestContext& ctx) {
  std::string period;
  if (Status s = TextParam(req, "period", period); !s.ok()) return s;
  if (period.empty())
    return Status::InvalidArgument("give the report's period, e.g. period=2025H1");
  auto report = services.kpi->Report(*ctx.principal, period);
  if (!report.ok()) return report.status();
  if (WantsCsv(req))
    return Csv(KpiReportCsv(*report), "telerad-kpi-report-" + report->period.Name() + ".csv");
  return Reply::Json(KpiReportJson(*report));
}

Result<Reply> ListTargets(ApiServices& services, const Pistache::Rest::Request& req,
                          RequestContext& ctx) {
  std::string period;
  if (Status s = TextParam(req, "period", period); !s.ok()) return s;
  auto targets = services.kpi->Targets(*ctx.principal, period);
  if (!targets.ok()) return targets.status();
  nlohmann::json items = nlohmann::json::array();
  for (const KpiTarget& t : *targets) items.push_back(KpiTargetJson(t));
  return Reply::Json({{"items", items}});
}

// The audit entry names the target as "<period>/<indicator>".
std::string TargetId(const Pistache::Rest::Request& req) {
  return (PathParam(req, ":period") + "/" + PathParam(req, ":indicator")).substr(0, 128);
}

Result<Reply> PutTarget(ApiServices& services, const Pistache::Rest::Request& req,
                        RequestContext& ctx) {
  ctx.audit.object_id = TargetId(req);
  auto body = ParseObject(req);
  if (!body.ok()) return body.status();
  std::optional<double> baseline, target;
  if (Status s = GetNumber(*body, "baseline", baseline); !s.ok()) return s;
  if (Status s = GetNumber(*body, "target", target); !s.ok()) return s;
  auto saved = services.kpi->PutTarget(*ctx.principal, PathParam(req, ":indicator"),
                                       PathParam(req, ":period"), baseline, target, ctx.audit);
  if (!saved.ok()) return saved.status();
  return Reply::Json(KpiTargetJson(*saved));
}

Result<Reply> DeleteTarget(ApiServices& services, const Pistache::Rest::Request& req,
                           RequestContext& ctx) {
  ctx.audit.object_id = TargetId(req);
  Status s = services.kpi->DeleteTarget(*ctx.principal, PathParam(req, ":indicator"),
                                        PathParam(req, ":period"), ctx.audit);
  if (!s.ok()) return s;
  Reply reply;
  reply.status = 204;
  return reply;
}

}  // namespace

void AddKpiRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  const RoleSet readers = kAllowAdmin | kAllowMinistry;
  Register(routes, Method::Get, "/api/v1/kpi", readers, GetFigures);
  Register(routes, Method::Get, "/api/v1/kpi/report", readers, GetReport);
  Register(routes, Method::Get, "/api/v1/kpi/targets", readers, ListTargets);
  Register(routes, Method::Put, "/api/v1/kpi/targets/:period/:indicator", kAllowAdmin, PutTarget,
           {"kpi_target.set", "kpi_target", ""});
  Register(routes, Method::Delete, "/api/v1/kpi/targets/:period/:indicator", kAllowAdmin,
           DeleteTarget, {"kpi_target.delete", "kpi_target", ""});
}

}  // namespace telerad::api
