// GET /api/v1/audit: the audit trail, read-only (admins).
#include "api/json_format.h"
#include "api/query_params.h"
#include "api/route_table.h"

namespace telerad::api {

void AddAuditRoutes(RouteTable& routes, ApiServices& services) {
  using Pistache::Http::Method;
  routes.push_back({Method::Get,
                    "/api/v1/audit",
                    kAllowAdmin,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      AuditQuery query;
                      const auto& params = req.query();
                      if (auto v = params.get("username")) query.username = *v;
                      if (auto v = params.get("action")) query.action = *v;
                      if (auto v = params.get("object_id")) query.object_id = *v;
                      if (auto e = TimeParam(req, "from", query.from)) return *e;
                      if (auto e = TimeParam(req, "to", query.to)) return *e;
                      if (auto e = LimitParam(req, query.limit)) return *e;
                      if (auto v = params.get("cursor")) query.cursor = *v;
                      auto page = services.audit->List(*ctx.principal, query);
                      if (!page.ok()) return Reply::Error(page.status());
                      return Reply::Json(ListJson(page->items, AuditEntryJson, page->next_cursor));
                    },
                    {}});
}

}  // namespace telerad::api
