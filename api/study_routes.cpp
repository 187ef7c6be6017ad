// GET /api/v1/worklist and GET /api/v1/studies/{study_uid}
#include "api/json_format.h"
#include "api/query_params.h"
#include "api/request_body.h"
#include "api/route_table.h"

namespace telerad::api {
namespace {

// Builds the query from URL parameters; nullopt-or-error style: returns a reply on error.
std::optional<Reply> ParseQuery(const Pistache::Rest::Request& req, StudyQuery& q) {
  const auto& params = req.query();
  if (auto v = params.get("status")) {
    q.status = ParseStudyStatus(*v);
    if (!q.status) return Reply::Error(400, "invalid_argument", "unknown status");
  }
  if (auto v = params.get("modality")) {
    q.modality_class = ParseModalityClass(*v);
    if (!q.modality_class)
      return Reply::Error(400, "invalid_argument", "modality must be CT, XRAY or OTHER");
  }
  if (auto v = params.get("priority")) {
    q.priority = ParsePriority(*v);
    if (!q.priority)
      return Reply::Error(400, "invalid_argument", "priority must be stat, urgent or routine");
  }
  if (auto v = params.get("facility")) q.facility_code = *v;
  if (auto v = params.get("aimag")) {
    q.aimag = PercentDecode(*v);
    if (!q.aimag)
      return Reply::Error(400, "invalid_argument", "aimag must be percent-encoded UTF-8");
  }
  if (auto e = TimeParam(req, "from", q.received_from)) return e;
  if (auto e = TimeParam(req, "to", q.received_to)) return e;
  if (auto e = LimitParam(req, q.limit)) return e;
  if (auto v = params.get("cursor")) q.cursor = *v;
  return std::nullopt;
}

}  // namespace

void AddStudyRoutes(RouteTable& routes, ApiServices& services) {
  using Pistache::Http::Method;
  routes.push_back({Method::Get,
                    "/api/v1/worklist",
                    kAllowAdmin | kAllowRadiologist | kAllowFacility,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      StudyQuery query;
                      if (auto error = ParseQuery(req, query)) return *error;
                      auto page = services.studies->List(*ctx.principal, query);
                      if (!page.ok()) return Reply::Error(page.status());
                      // Written directly (AppendStudyJson): the same bytes as the
                      // nlohmann form {"items":[...],"next_cursor":...}, in a fraction of
                      // the time.
                      Reply reply;
                      reply.body.reserve(1024 + 800 * page->items.size());
                      reply.body = "{\"items\":[";
                      for (size_t i = 0; i < page->items.size(); ++i) {
                        if (i > 0) reply.body += ',';
                        AppendStudyJson(reply.body, page->items[i], false);
                      }
                      reply.body += "],\"next_cursor\":";
                      if (page->next_cursor)
                        AppendJsonString(reply.body, *page->next_cursor);
                      else
                        reply.body += "null";
                      reply.body += '}';
                      return reply;
                    },
                    {"worklist.view", "study", ""}});
  routes.push_back({Method::Get,
                    "/api/v1/studies/:study_uid",
                    kAllowAdmin | kAllowRadiologist | kAllowFacility,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      auto study = services.studies->Get(*ctx.principal,
                                                         req.param(":study_uid").as<std::string>());
                      if (!study.ok()) return Reply::Error(study.status());
                      auto report = services.reports->OfVisibleStudy(*ctx.principal, *study);
                      if (!report.ok()) return Reply::Error(report.status());
                      // The study written directly (AppendStudyJson), its report added
                      // before the closing brace.
                      Reply reply;
                      AppendStudyJson(reply.body, *study, true);
                      reply.body.pop_back();
                      reply.body += ",\"report\":";
                      reply.body +=
                          *report ? ReportSummaryJson(**report).dump(
                                        -1, ' ', false, nlohmann::json::error_handler_t::replace)
                                  : "null";
                      reply.body += '}';
                      return reply;
                    },
                    {"study.view", "study", ":study_uid"}});
  routes.push_back(
      {Method::Patch,
       "/api/v1/studies/:study_uid",
       kAllowAdmin | kAllowFacility,
       [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
         nlohmann::json body;
         if (auto error = ParseObject(req, body)) return *error;
         std::optional<Priority> priority;
         std::optional<std::string> clinical_info;
         if (body.contains("priority")) {
           std::string text;
           if (auto e = GetString(body, "priority", text, true)) return *e;
           priority = ParsePriority(text);
           if (!priority)
             return Reply::Error(422, "invalid_field",
                                 "'priority' must be stat, urgent or routine");
         }
         if (body.contains("clinical_info")) {
           std::string text;
           if (auto e = GetString(body, "clinical_info", text, true)) return *e;
           clinical_info = text;
         }
         if (!priority && !clinical_info)
           return Reply::Error(422, "invalid_field", "send 'priority' and/or 'clinical_info'");
         auto study = services.studies->UpdateOrder(
             *ctx.principal, req.param(":study_uid").as<std::string>(), priority, clinical_info);
         if (!study.ok()) return Reply::Error(study.status());
         return Reply::Json(StudyJson(*study, true));
       },
       {"study.update", "study", ":study_uid"}});
  routes.push_back({Method::Post,
                    "/api/v1/studies/:study_uid/claim",
                    kAllowRadiologist,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      auto claim = services.studies->Claim(
                          *ctx.principal, req.param(":study_uid").as<std::string>());
                      if (!claim.ok()) return Reply::Error(claim.status());
                      return Reply::Json({{"study_uid", claim->study_uid},
                                          {"status", "claimed"},
                                          {"claimed_by", claim->claimed_by},
                                          {"claim_expires_at", FormatTime(claim->expires_at)}});
                    },
                    {"study.claim", "study", ":study_uid"}});
  routes.push_back({Method::Post,
                    "/api/v1/studies/:study_uid/release",
                    kAllowRadiologist,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      const std::string uid = req.param(":study_uid").as<std::string>();
                      Status released = services.studies->Release(*ctx.principal, uid);
                      if (!released.ok()) return Reply::Error(released);
                      return Reply::Json({{"study_uid", uid}, {"status", "ready"}});
                    },
                    {"study.release", "study", ":study_uid"}});
}

}  // namespace telerad::api
