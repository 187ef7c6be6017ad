// /api/v1/report-templates and /api/v1/report-templates/{id}: the report editor's
// templates (radiologists read, admins change).
#include <algorithm>
#include <cctype>

#include "api/json_common.h"
#include "api/query_params.h"
#include "api/request_body.h"
#include "api/route_table.h"
#include "api/vocabulary_json.h"

namespace telerad::api {
namespace {

// The template's id from the path; kNotFound for one that cannot be an id.
Result<int64_t> TemplateId(const Pistache::Rest::Request& req) {
  const std::string text = PathParam(req, ":id");
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
    return Status::NotFound("no such template");
  return std::stoll(text);
}

// The template's fields of a POST or PUT body; modality_class and body_part null or
// absent mean any.
Result<ReportTemplate> ReadTemplate(const nlohmann::json& body) {
  ReportTemplate t;
  Status read = JsonFields(body)
                    .String("name", t.name, kRequired)
                    .String("language", t.language, kRequired)
                    .String("modality_class", t.modality_class, kOptional)
                    .String("body_part", t.body_part, kOptional)
                    .String("findings", t.findings, kOptional)
                    .String("impression", t.impression, kOptional)
                    .Bool("active", t.active, kOptional)
                    .status();
  if (!read.ok()) return read;
  return t;
}

Result<Reply> TemplateReply(const Result<ReportTemplate>& t, int status = 200) {
  if (!t.ok()) return t.status();
  Reply reply = Reply::Json(TemplateJson(*t), status);
  reply.headers.emplace_back("ETag", VersionEtag(t->version));
  return reply;
}

Result<Reply> ListTemplates(ApiServices& services, const Pistache::Rest::Request& req,
                            RequestContext& ctx) {
  TemplateFilter filter;
  for (auto [name, out] : {std::pair{"language", &filter.language},
                           std::pair{"modality_class", &filter.modality_class},
                           std::pair{"body_part", &filter.body_part}})
    if (Status s = TextParam(req, name, *out, "template filters must be percent-encoded UTF-8");
        !s.ok())
      return s;
  auto all = services.templates->List(*ctx.principal, filter);
  if (!all.ok()) return all.status();
  return Reply::Json(ListJson(*all, TemplateJson));
}

Result<Reply> CreateTemplate(ApiServices& services, const Pistache::Rest::Request& req,
                             RequestContext& ctx) {
  auto body = ParseObject(req);
  if (!body.ok()) return body.status();
  auto t = ReadTemplate(*body);
  if (!t.ok()) return t.status();
  return TemplateReply(services.templates->Create(*ctx.principal, *t, ctx.audit), 201);
}

Result<Reply> ReplaceTemplate(ApiServices& services, const Pistache::Rest::Request& req,
                              RequestContext& ctx) {
  auto id = TemplateId(req);
  if (!id.ok()) return id.status();
  auto body = ParseObject(req);
  if (!body.ok()) return body.status();
  auto t = ReadTemplate(*body);
  if (!t.ok()) return t.status();
  auto expected = ExpectedVersion(req, *body);
  if (!expected.ok()) return expected.status();
  t->id = *id;
  return TemplateReply(services.templates->Update(*ctx.principal, *t, *expected, ctx.audit));
}

Result<Reply> DeleteTemplate(ApiServices& services, const Pistache::Rest::Request& req,
                             RequestContext& ctx) {
  auto id = TemplateId(req);
  if (!id.ok()) return id.status();
  if (Status s = services.templates->Delete(*ctx.principal, *id, ctx.audit); !s.ok()) return s;
  Reply reply;
  reply.status = 204;
  return reply;
}

}  // namespace

void AddTemplateRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  Register(routes, Method::Get, "/api/v1/report-templates", kAllowAdmin | kAllowRadiologist,
           ListTemplates);
  Register(routes, Method::Post, "/api/v1/report-templates", kAllowAdmin, CreateTemplate,
           {"report_template.create", "report_template", ""});
  Register(routes, Method::Put, "/api/v1/report-templates/:id", kAllowAdmin, ReplaceTemplate,
           {"report_template.update", "report_template", ":id"});
  Register(routes, Method::Delete, "/api/v1/report-templates/:id", kAllowAdmin, DeleteTemplate,
           {"report_template.delete", "report_template", ":id"});
}

}  // namespace telerad::api
