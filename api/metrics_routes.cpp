// GET /metrics: the Prometheus text exposition (format 0.0.4) of ServerMetrics, for
// ministry and admin users or a Prometheus server holding the scrape token. Not audited:
// it carries no patient data (no label holds a UID, a name or a concrete path).
#include "api/route_table.h"

namespace telerad::api {

void AddMetricsRoutes(RouteTable& routes, ApiServices& services) {
  using Pistache::Http::Method;
  routes.push_back({Method::Get,
                    "/metrics",
                    kAllowAdmin | kAllowMinistry,
                    [&services](const Pistache::Rest::Request&, const RequestContext&) {
                      Reply reply;
                      reply.body = services.metrics->Scrape();
                      reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
                      return reply;
                    },
                    {},
                    /*accepts_scrape_token=*/true});
}

}  // namespace telerad::api
