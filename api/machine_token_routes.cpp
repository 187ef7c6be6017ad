// /api/v1/facilities/{code}/machine-tokens: the tokens a facility's gateway stores
// studies with over STOW-RS (admins). The token itself is in the creation's answer only.
#include "api/json_common.h"
#include "api/query_params.h"
#include "api/request_body.h"
#include "api/route_table.h"

namespace telerad::api {
namespace {

nlohmann::json MachineTokenJson(const MachineToken& t) {
  return {{"id", t.id},
          {"facility_code", t.facility_code},
          {"name", t.name},
          {"created_by", t.created_by},
          {"created_at", FormatTime(t.created_at)},
          {"last_used_at", OptionalTime(t.last_used_at)},
          {"revoked_at", OptionalTime(t.revoked_at)},
          {"revoked", t.revoked_at.has_value()}};
}

Result<Reply> CreateMachineToken(ApiServices& services, const Pistache::Rest::Request& req,
                                 RequestContext& ctx) {
  auto body = ParseObject(req);
  if (!body.ok()) return body.status();
  std::string name;
  if (Status s = JsonFields(*body).String("name", name, kRequired).status(); !s.ok()) return s;
  auto created =
      services.machine_tokens->Create(*ctx.principal, PathParam(req, ":code"), name, ctx.audit);
  if (!created.ok()) return created.status();
  nlohmann::json out = MachineTokenJson(created->record);
  out["token"] = created->token;
  return Reply::Json(out, 201);
}

Result<Reply> ListMachineTokens(ApiServices& services, const Pistache::Rest::Request& req,
                                RequestContext& ctx) {
  auto all = services.machine_tokens->List(*ctx.principal, PathParam(req, ":code"));
  if (!all.ok()) return all.status();
  return Reply::Json(ListJson(*all, MachineTokenJson));
}

Result<Reply> RevokeMachineToken(ApiServices& services, const Pistache::Rest::Request& req,
                                 RequestContext& ctx) {
  const std::string id_text = PathParam(req, ":id");
  int64_t id = 0;
  try {
    size_t used = 0;
    id = std::stoll(id_text, &used);
    if (used != id_text.size() || id <= 0) throw std::invalid_argument(id_text);
  } catch (const std::exception&) {
    return Status::NotFound("no such machine token");
  }
  ctx.audit.object_id = PathParam(req, ":code").substr(0, 64) + "/" + std::to_string(id);
  auto revoked =
      services.machine_tokens->Revoke(*ctx.principal, PathParam(req, ":code"), id, ctx.audit);
  if (!revoked.ok()) return revoked.status();
  return Reply::Json(MachineTokenJson(*revoked));
}

}  // namespace

void AddMachineTokenRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  Register(routes, Method::Get, "/api/v1/facilities/:code/machine-tokens", kAllowAdmin,
           ListMachineTokens);
  Register(routes, Method::Post, "/api/v1/facilities/:code/machine-tokens", kAllowAdmin,
           CreateMachineToken, {"machine_token.create", "facility", ":code"});
  Register(routes, Method::Delete, "/api/v1/facilities/:code/machine-tokens/:id", kAllowAdmin,
           RevokeMachineToken, {"machine_token.revoke", "machine_token", ""});
}

}  // namespace telerad::api
