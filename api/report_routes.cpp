// Reports: GET/PUT /api/v1/studies/{study_uid}/report, .../report/sign,
// .../report/addenda, .../report/acknowledge.
#include "api/query_params.h"
#include "api/report_json.h"
#include "api/request_body.h"
#include "api/route_table.h"

namespace telerad::api {
namespace {

// The report with its ETag, or the service's error.
Result<Reply> ReportReply(const Result<Report>& report, int status = 200) {
  if (!report.ok()) return report.status();
  Reply reply = Reply::Json(ReportJson(*report), status);
  reply.headers.emplace_back("ETag", VersionEtag(report->version));
  return reply;
}

std::string StudyUid(const Pistache::Rest::Request& req) { return PathParam(req, ":study_uid"); }

Result<Reply> GetReport(ApiServices& services, const Pistache::Rest::Request& req,
                        RequestContext& ctx) {
  return ReportReply(services.reports->Get(*ctx.principal, StudyUid(req)));
}

Result<Reply> SaveDraft(ApiServices& services, const Pistache::Rest::Request& req,
                        RequestContext& ctx) {
  auto body = ParseObject(req);
  if (!body.ok()) return body.status();
  DraftContent draft;
  Status read = JsonFields(*body)
                    .String("findings", draft.findings, kOptional)
                    .String("impression", draft.impression, kOptional)
                    .StringList("icd_codes", draft.icd_codes, kOptional)
                    .Bool("critical", draft.critical, kOptional)
                    .status();
  if (!read.ok()) return read;
  auto expected = ExpectedVersion(req, *body);
  if (!expected.ok()) return expected.status();
  return ReportReply(
      services.reports->SaveDraft(*ctx.principal, StudyUid(req), *expected, draft, ctx.audit));
}

Result<Reply> SignReport(ApiServices& services, const Pistache::Rest::Request& req,
                         RequestContext& ctx) {
  auto body = ParseObject(req, /*empty_ok=*/true);
  if (!body.ok()) return body.status();
  auto expected = ExpectedVersion(req, *body);
  if (!expected.ok()) return expected.status();
  return ReportReply(services.reports->Sign(*ctx.principal, StudyUid(req), *expected, ctx.audit));
}

Result<Reply> AddAddendum(ApiServices& services, const Pistache::Rest::Request& req,
                          RequestContext& ctx) {
  auto body = ParseObject(req);
  if (!body.ok()) return body.status();
  std::string text;
  if (Status s = JsonFields(*body).String("text", text, kRequired).status(); !s.ok()) return s;
  return ReportReply(services.reports->AddAddendum(*ctx.principal, StudyUid(req), text, ctx.audit),
                     201);
}

Result<Reply> AcknowledgeCritical(ApiServices& services, const Pistache::Rest::Request& req,
                                  RequestContext& ctx) {
  return ReportReply(
      services.reports->AcknowledgeCritical(*ctx.principal, StudyUid(req), ctx.audit));
}

}  // namespace

void AddReportRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  const RoleSet readers = kAllowAdmin | kAllowRadiologist | kAllowFacility;
  Register(routes, Method::Get, "/api/v1/studies/:study_uid/report", readers, GetReport,
           {"report.view", "study", ":study_uid"});
  Register(routes, Method::Put, "/api/v1/studies/:study_uid/report", kAllowRadiologist, SaveDraft,
           {"report.save", "study", ":study_uid"});
  Register(routes, Method::Post, "/api/v1/studies/:study_uid/report/sign", kAllowRadiologist,
           SignReport, {"report.sign", "study", ":study_uid"});
  Register(routes, Method::Post, "/api/v1/studies/:study_uid/report/addenda", kAllowRadiologist,
           AddAddendum, {"report.addendum", "study", ":study_uid"});
  Register(routes, Method::Post, "/api/v1/studies/:study_uid/report/acknowledge", kAllowFacility,
           AcknowledgeCritical, {"report.acknowledge", "study", ":study_uid"});
}

}  // namespace telerad::api
