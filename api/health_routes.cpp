// GET /healthz (the process answers) and GET /readyz (database and storage usable).
#include "api/route_table.h"

namespace telerad::api {

void AddHealthRoutes(RouteTable& routes, ApiServices& services) {
  using Pistache::Http::Method;
  routes.push_back({Method::Get,
                    "/healthz",
                    kPublic,
                    [](const Pistache::Rest::Request&, const RequestContext&) {
                      return Reply::Json({{"status", "ok"}});
                    },
                    {}});
  routes.push_back({Method::Get,
                    "/readyz",
                    kPublic,
                    [&services](const Pistache::Rest::Request&, const RequestContext&) {
                      Readiness r = services.health->Check();
                      auto state = [](const Status& s) { return s.ok() ? "ok" : "unavailable"; };
                      return Reply::Json({{"status", r.ok() ? "ready" : "unavailable"},
                                          {"database", state(r.database)},
                                          {"storage", state(r.storage)}},
                                         r.ok() ? 200 : 503);
                    },
                    {}});
}

}  // namespace telerad::api
