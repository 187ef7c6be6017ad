// Reports: GET/PUT /api/v1/studies/{study_uid}/report, .../report/sign,
// .../report/addenda, .../report/acknowledge.
#include "api/json_format.h"
#include "api/request_body.h"
#include "api/route_table.h"

namespace telerad::api {
namespace {

Reply ReportReply(const Result<Report>& report, int status = 200) {
  if (!report.ok()) return Reply::Error(report.status());
  Reply reply = Reply::Json(ReportJson(*report), status);
  reply.headers.emplace_back("ETag", VersionEtag(report->version));
  return reply;
}

std::string StudyUid(const Pistache::Rest::Request& req) {
  return req.param(":study_uid").as<std::string>();
}

}  // namespace

void AddReportRoutes(RouteTable& routes, ApiServices& services) {
  using Pistache::Http::Method;
  routes.push_back({Method::Get,
                    "/api/v1/studies/:study_uid/report",
                    kAllowAdmin | kAllowRadiologist | kAllowFacility,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      return ReportReply(services.reports->Get(*ctx.principal, StudyUid(req)));
                    },
                    {"report.view", "study", ":study_uid"}});
  routes.push_back({Method::Put,
                    "/api/v1/studies/:study_uid/report",
                    kAllowRadiologist,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      nlohmann::json body;
                      if (auto error = ParseObject(req, body)) return *error;
                      DraftContent draft;
                      std::optional<int> body_version, expected;
                      if (auto e = GetString(body, "findings", draft.findings, false)) return *e;
                      if (auto e = GetString(body, "impression", draft.impression, false))
                        return *e;
                      if (auto e = GetStringList(body, "icd_codes", draft.icd_codes, false))
                        return *e;
                      if (auto e = GetBool(body, "critical", draft.critical, false)) return *e;
                      if (auto e = GetInt(body, "version", body_version, false)) return *e;
                      if (auto e = ExpectedVersion(req, body_version, expected)) return *e;
                      return ReportReply(services.reports->SaveDraft(*ctx.principal, StudyUid(req),
                                                                     expected, draft));
                    },
                    {"report.save", "study", ":study_uid"}});
  routes.push_back({Method::Post,
                    "/api/v1/studies/:study_uid/report/sign",
                    kAllowRadiologist,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      nlohmann::json body;
                      if (auto error = ParseObject(req, body, true)) return *error;
                      std::optional<int> body_version, expected;
                      if (auto e = GetInt(body, "version", body_version, false)) return *e;
                      if (auto e = ExpectedVersion(req, body_version, expected)) return *e;
                      return ReportReply(
                          services.reports->Sign(*ctx.principal, StudyUid(req), expected));
                    },
                    {"report.sign", "study", ":study_uid"}});
  routes.push_back({Method::Post,
                    "/api/v1/studies/:study_uid/report/addenda",
                    kAllowRadiologist,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      nlohmann::json body;
                      if (auto error = ParseObject(req, body)) return *error;
                      std::string text;
                      if (auto e = GetString(body, "text", text, true)) return *e;
                      return ReportReply(
                          services.reports->AddAddendum(*ctx.principal, StudyUid(req), text), 201);
                    },
                    {"report.addendum", "study", ":study_uid"}});
  routes.push_back({Method::Post,
                    "/api/v1/studies/:study_uid/report/acknowledge",
                    kAllowFacility,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      return ReportReply(
                          services.reports->AcknowledgeCritical(*ctx.principal, StudyUid(req)));
                    },
                    {"report.acknowledge", "study", ":study_uid"}});
}

}  // namespace telerad::api
