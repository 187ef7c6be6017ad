// POST /api/v1/auth/login and /api/v1/auth/logout
#include "api/json_format.h"
#include "api/request_body.h"
#include "api/route_table.h"

namespace telerad::api {

void AddAuthRoutes(RouteTable& routes, ApiServices& services) {
  using Pistache::Http::Method;
  routes.push_back({Method::Post,
                    "/api/v1/auth/login",
                    kPublic,
                    [&services](const Pistache::Rest::Request& req, RequestContext& ctx) {
                      nlohmann::json body = nlohmann::json::parse(req.body(), nullptr, false);
                      if (body.is_discarded() || !body.is_object())
                        return Reply::Error(400, "invalid_json",
                                            "request body must be a JSON object");
                      for (const char* field : {"username", "password"})
                        if (!body.contains(field) || !body[field].is_string())
                          return Reply::Error(422, "invalid_field",
                                              std::string("'") + field + "' must be a string");
                      ctx.audit_username = body["username"].get<std::string>();
                      ctx.audit_object_id = ctx.audit_username.substr(0, 64);
                      auto login = services.auth->Login(body["username"].get<std::string>(),
                                                        body["password"].get<std::string>());
                      if (!login.ok()) return Reply::Error(login.status());
                      return Reply::Json({{"token", login->token},
                                          {"role", ToString(login->role)},
                                          {"expires_at", FormatTime(login->expires_at)}});
                    },
                    {"auth.login", "user", ""}});
  routes.push_back({Method::Post,
                    "/api/v1/auth/logout",
                    kAnyRole,
                    [&services](const Pistache::Rest::Request& req, const RequestContext&) {
                      Status ended = services.auth->Logout(BearerToken(req).value_or(""));
                      if (!ended.ok()) return Reply::Error(ended);
                      return Reply::Json({{"status", "logged_out"}});
                    },
                    {"auth.logout", "user", ""}});
}

}  // namespace telerad::api
