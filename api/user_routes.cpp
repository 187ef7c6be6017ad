// /api/v1/users and /api/v1/users/{username}: accounts (admins).
#include "api/account_json.h"
#include "api/json_common.h"
#include "api/query_params.h"
#include "api/request_body.h"
#include "api/route_table.h"

namespace telerad::api {
namespace {

Result<Reply> UserReply(const Result<UserRecord>& u, int status = 200) {
  if (!u.ok()) return u.status();
  return Reply::Json(UserJson(*u), status);
}

Result<Reply> ListUsers(ApiServices& services, const Pistache::Rest::Request&,
                        RequestContext& ctx) {
  auto all = services.admin->ListUsers(*ctx.principal);
  if (!all.ok()) return all.status();
  return Reply::Json(ListJson(*all, UserJson));
}

Result<Reply> CreateUser(ApiServices& services, const Pistache::Rest::Request& req,
                         RequestContext& ctx) {
  auto body = ParseObject(req);
  if (!body.ok()) return body.status();
  NewUser user;
  std::string role;
  Status read = JsonFields(*body)
                    .String("username", user.username, kRequired)
                    .String("role", role, kRequired)
                    .String("facility_code", user.facility_code, kOptional)
                    .String("password", user.password, kRequired)
                    .status();
  if (!read.ok()) return read;
  auto parsed = ParseRole(role);
  if (!parsed)
    return Status::Unprocessable("'role' must be admin, radiologist, facility or ministry");
  user.role = *parsed;
  ctx.audit.object_id = user.username.substr(0, 64);
  return UserReply(services.admin->CreateUser(*ctx.principal, user, ctx.audit), 201);
}

Result<Reply> GetUser(ApiServices& services, const Pistache::Rest::Request& req,
                      RequestContext& ctx) {
  return UserReply(services.admin->GetUser(*ctx.principal, PathParam(req, ":username")));
}

// Activates or deactivates an account, or sets its password.
Result<Reply> ChangeUser(ApiServices& services, const Pistache::Rest::Request& req,
                         RequestContext& ctx) {
  auto body = ParseObject(req);
  if (!body.ok()) return body.status();
  std::optional<bool> active;
  std::optional<std::string> password;
  if (body->contains("active")) {
    bool value = true;
    if (Status s = JsonFields(*body).Bool("active", value, kRequired).status(); !s.ok()) return s;
    active = value;
  }
  if (body->contains("password")) {
    std::string value;
    if (Status s = JsonFields(*body).String("password", value, kRequired).status(); !s.ok())
      return s;
    password = value;
  }
  if (!active && !password) return Status::Unprocessable("send 'active' and/or 'password'");
  return UserReply(services.admin->ChangeUser(*ctx.principal, PathParam(req, ":username"), active,
                                              password, ctx.audit));
}

}  // namespace

void AddUserRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  Register(routes, Method::Get, "/api/v1/users", kAllowAdmin, ListUsers);
  Register(routes, Method::Post, "/api/v1/users", kAllowAdmin, CreateUser,
           {"user.create", "user", ""});
  Register(routes, Method::Get, "/api/v1/users/:username", kAllowAdmin, GetUser);
  Register(routes, Method::Patch, "/api/v1/users/:username", kAllowAdmin, ChangeUser,
           {"user.update", "user", ":username"});
}

}  // namespace telerad::api
