// POST /api/v1/auth/login
#include "api/json_format.h"
#include "api/route_table.h"

namespace telerad::api {

void AddAuthRoutes(RouteTable& routes, ApiServices& services) {
  using Pistache::Http::Method;
  routes.push_back({Method::Post,
                    "/api/v1/auth/login",
                    false,
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
                      auto login = services.auth->Login(body["username"].get<std::string>(),
                                                        body["password"].get<std::string>());
                      if (!login.ok()) return Reply::Error(login.status());
                      return Reply::Json({{"token", login->token},
                                          {"role", ToString(login->role)},
                                          {"expires_at", FormatTime(login->expires_at)}});
                    },
                    {"auth.login", "user", ""}});
}

}  // namespace telerad::api
