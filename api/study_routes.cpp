// GET /api/v1/worklist, GET and PATCH /api/v1/studies/{study_uid}, and the claim and
// release of a study by a radiologist.
#include "api/json_common.h"
#include "api/query_params.h"
#include "api/report_json.h"
#include "api/request_body.h"
#include "api/route_table.h"
#include "api/study_json.h"

namespace telerad::api {
namespace {

constexpr RoleSet kStudyReaders = kAllowAdmin | kAllowRadiologist | kAllowFacility;

// The worklist filters from the URL; kInvalidArgument names the first bad one.
Status ParseQuery(const Pistache::Rest::Request& req, StudyQuery& q) {
  const auto& params = req.query();
  if (auto v = params.get("status")) {
    q.status = ParseStudyStatus(*v);
    if (!q.status) return Status::InvalidArgument("unknown status");
  }
  if (auto v = params.get("modality")) {
    q.modality_class = ParseModalityClass(*v);
    if (!q.modality_class) return Status::InvalidArgument("modality must be CT, XRAY or OTHER");
  }
  if (auto v = params.get("priority")) {
    q.priority = ParsePriority(*v);
    if (!q.priority) return Status::InvalidArgument("priority must be stat, urgent or routine");
  }
  if (auto v = params.get("facility")) q.facility_code = *v;
  if (Status s = TextParam(req, "aimag", q.aimag, "aimag must be percent-encoded UTF-8"); !s.ok())
    return s;
  if (Status s = TimeParam(req, "from", q.received_from); !s.ok()) return s;
  if (Status s = TimeParam(req, "to", q.received_to); !s.ok()) return s;
  if (Status s = LimitParam(req, q.limit); !s.ok()) return s;
  if (auto v = params.get("cursor")) q.cursor = *v;
  return Status::Ok();
}

// Written directly (AppendStudyJson): the same bytes as the nlohmann form
// {"items":[...],"next_cursor":...}, in a fraction of the time.
Result<Reply> ListWorklist(ApiServices& services, const Pistache::Rest::Request& req,
                           RequestContext& ctx) {
  StudyQuery query;
  if (Status s = ParseQuery(req, query); !s.ok()) return s;
  auto page = services.studies->List(*ctx.principal, query);
  if (!page.ok()) return page.status();
  // The read's audit entry names every study the page showed.
  for (const Study& study : page->items) ctx.audit.returned_ids.push_back(study.study_uid);
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
}

// The study written directly (AppendStudyJson), its report added before the closing brace.
Result<Reply> GetStudy(ApiServices& services, const Pistache::Rest::Request& req,
                       RequestContext& ctx) {
  auto study = services.studies->Get(*ctx.principal, PathParam(req, ":study_uid"));
  if (!study.ok()) return study.status();
  auto report = services.reports->OfVisibleStudy(*ctx.principal, *study);
  if (!report.ok()) return report.status();
  Reply reply;
  AppendStudyJson(reply.body, *study, true);
  reply.body.pop_back();
  reply.body += ",\"report\":";
  reply.body += *report ? ReportSummaryJson(**report).dump(-1, ' ', false,
                                                           nlohmann::json::error_handler_t::replace)
                        : "null";
  reply.body += '}';
  return reply;
}

// The order's priority and/or clinical information, as the facility corrects them.
Result<Reply> UpdateStudy(ApiServices& services, const Pistache::Rest::Request& req,
                          RequestContext& ctx) {
  auto body = ParseObject(req);
  if (!body.ok()) return body.status();
  std::optional<Priority> priority;
  std::optional<std::string> clinical_info;
  if (body->contains("priority")) {
    std::string text;
    if (Status s = JsonFields(*body).String("priority", text, kRequired).status(); !s.ok())
      return s;
    priority = ParsePriority(text);
    if (!priority) return Status::Unprocessable("'priority' must be stat, urgent or routine");
  }
  if (body->contains("clinical_info")) {
    std::string text;
    if (Status s = JsonFields(*body).String("clinical_info", text, kRequired).status(); !s.ok())
      return s;
    clinical_info = text;
  }
  if (!priority && !clinical_info)
    return Status::Unprocessable("send 'priority' and/or 'clinical_info'");
  auto study = services.studies->UpdateOrder(*ctx.principal, PathParam(req, ":study_uid"), priority,
                                             clinical_info, ctx.audit);
  if (!study.ok()) return study.status();
  return Reply::Json(StudyJson(*study, true));
}

Result<Reply> ClaimStudy(ApiServices& services, const Pistache::Rest::Request& req,
                         RequestContext& ctx) {
  auto claim = services.studies->Claim(*ctx.principal, PathParam(req, ":study_uid"), ctx.audit);
  if (!claim.ok()) return claim.status();
  return Reply::Json({{"study_uid", claim->study_uid},
                      {"status", "claimed"},
                      {"claimed_by", claim->claimed_by},
                      {"claim_expires_at", FormatTime(claim->expires_at)}});
}

Result<Reply> ReleaseStudy(ApiServices& services, const Pistache::Rest::Request& req,
                           RequestContext& ctx) {
  const std::string uid = PathParam(req, ":study_uid");
  if (Status s = services.studies->Release(*ctx.principal, uid, ctx.audit); !s.ok()) return s;
  return Reply::Json({{"study_uid", uid}, {"status", "ready"}});
}

}  // namespace

void AddStudyRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  Register(routes, Method::Get, "/api/v1/worklist", kStudyReaders, ListWorklist,
           {"worklist.view", "study", ""});
  Register(routes, Method::Get, "/api/v1/studies/:study_uid", kStudyReaders, GetStudy,
           {"study.view", "study", ":study_uid"});
  Register(routes, Method::Patch, "/api/v1/studies/:study_uid", kAllowAdmin | kAllowFacility,
           UpdateStudy, {"study.update", "study", ":study_uid"});
  Register(routes, Method::Post, "/api/v1/studies/:study_uid/claim", kAllowRadiologist, ClaimStudy,
           {"study.claim", "study", ":study_uid"});
  Register(routes, Method::Post, "/api/v1/studies/:study_uid/release", kAllowRadiologist,
           ReleaseStudy, {"study.release", "study", ":study_uid"});
}

}  // namespace telerad::api
