// GET /metrics: the Prometheus text exposition (format 0.0.4) of ServerMetrics, for
// ministry and admin users or a Prometheus server holding the scrape token. Not audited:
// it carries no patient data (no label holds a UID, a name or a concrete path).
#include "api/route_table.h"

namespace telerad::api {
namespace {

Result<Reply> GetMetrics(ApiServices& services, const Pistache::Rest::Request&, RequestContext&) {
  Reply reply;
  reply.body = services.metrics->Scrape();
  reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return reply;
}

}  // namespace

void AddMetricsRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  Register(routes, Method::Get, "/metrics", kAllowAdmin | kAllowMinistry, GetMetrics)
      .accepts_scrape_token = true;
}

}  // namespace telerad::api
