// /api/v1/users and /api/v1/users/{username}: accounts (admins).
#include "api/json_format.h"
#include "api/request_body.h"
#include "api/route_table.h"

namespace telerad::api {
namespace {

Reply UserReply(const Result<UserRecord>& u, int status = 200) {
  if (!u.ok()) return Reply::Error(u.status());
  return Reply::Json(UserJson(*u), status);
}

}  // namespace

void AddUserRoutes(RouteTable& routes, ApiServices& services) {
  using Pistache::Http::Method;
  routes.push_back({Method::Get,
                    "/api/v1/users",
                    kAllowAdmin,
                    [&services](const Pistache::Rest::Request&, const RequestContext& ctx) {
                      auto all = services.admin->ListUsers(*ctx.principal);
                      if (!all.ok()) return Reply::Error(all.status());
                      return Reply::Json(ListJson(*all, UserJson));
                    },
                    {}});
  routes.push_back({Method::Post,
                    "/api/v1/users",
                    kAllowAdmin,
                    [&services](const Pistache::Rest::Request& req, RequestContext& ctx) {
                      nlohmann::json body;
                      if (auto error = ParseObject(req, body)) return *error;
                      NewUser user;
                      std::string role;
                      if (auto e = GetString(body, "username", user.username, true)) return *e;
                      if (auto e = GetString(body, "role", role, true)) return *e;
                      if (auto e = GetString(body, "facility_code", user.facility_code, false))
                        return *e;
                      if (auto e = GetString(body, "password", user.password, true)) return *e;
                      auto parsed = ParseRole(role);
                      if (!parsed)
                        return Reply::Error(422, "invalid_field",
                                            "'role' must be admin, radiologist, facility or "
                                            "ministry");
                      user.role = *parsed;
                      ctx.audit_object_id = user.username.substr(0, 64);
                      return UserReply(services.admin->CreateUser(*ctx.principal, user), 201);
                    },
                    {"user.create", "user", ""}});
  routes.push_back({Method::Get,
                    "/api/v1/users/:username",
                    kAllowAdmin,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      return UserReply(services.admin->GetUser(
                          *ctx.principal, req.param(":username").as<std::string>()));
                    },
                    {}});
  routes.push_back(
      {Method::Patch,
       "/api/v1/users/:username",
       kAllowAdmin,
       [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
         nlohmann::json body;
         if (auto error = ParseObject(req, body)) return *error;
         std::optional<bool> active;
         std::optional<std::string> password;
         if (body.contains("active")) {
           bool value = true;
           if (auto e = GetBool(body, "active", value, true)) return *e;
           active = value;
         }
         if (body.contains("password")) {
           std::string value;
           if (auto e = GetString(body, "password", value, true)) return *e;
           password = value;
         }
         if (!active && !password)
           return Reply::Error(422, "invalid_field", "send 'active' and/or 'password'");
         return UserReply(services.admin->ChangeUser(
             *ctx.principal, req.param(":username").as<std::string>(), active, password));
       },
       {"user.update", "user", ":username"}});
}

}  // namespace telerad::api
