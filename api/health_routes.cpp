// GET /healthz (the process answers) and GET /readyz (database and storage usable).
#include "api/route_table.h"

namespace telerad::api {
namespace {

Result<Reply> GetHealth(ApiServices&, const Pistache::Rest::Request&, RequestContext&) {
  return Reply::Json({{"status", "ok"}});
}

// 503 with the same body shape when not ready: a load balancer reads the status, a
// person the body.
Result<Reply> GetReadiness(ApiServices& services, const Pistache::Rest::Request&, RequestContext&) {
  Readiness r = services.health->Check();
  auto state = [](const Status& s) { return s.ok() ? "ok" : "unavailable"; };
  return Reply::Json({{"status", r.ok() ? "ready" : "unavailable"},
                      {"database", state(r.database)},
                      {"storage", state(r.storage)}},
                     r.ok() ? 200 : 503);
}

}  // namespace

void AddHealthRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  Register(routes, Method::Get, "/healthz", kPublic, GetHealth);
  Register(routes, Method::Get, "/readyz", kPublic, GetReadiness);
}

}  // namespace telerad::api
