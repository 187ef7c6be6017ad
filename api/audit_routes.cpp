// GET /api/v1/audit: the audit trail, read-only (admins).
#include "api/audit_json.h"
#include "api/json_common.h"
#include "api/query_params.h"
#include "api/route_table.h"

namespace telerad::api {
namespace {

Result<Reply> ListAudit(ApiServices& services, const Pistache::Rest::Request& req,
                        RequestContext& ctx) {
  AuditQuery query;
  const auto& params = req.query();
  if (auto v = params.get("username")) query.username = *v;
  if (auto v = params.get("action")) query.action = *v;
  if (auto v = params.get("object_id")) query.object_id = *v;
  if (Status s = TimeParam(req, "from", query.from); !s.ok()) return s;
  if (Status s = TimeParam(req, "to", query.to); !s.ok()) return s;
  if (Status s = LimitParam(req, query.limit); !s.ok()) return s;
  if (auto v = params.get("cursor")) query.cursor = *v;
  auto page = services.audit->List(*ctx.principal, query);
  if (!page.ok()) return page.status();
  return Reply::Json(ListJson(page->items, AuditEntryJson, page->next_cursor));
}

}  // namespace

void AddAuditRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  Register(routes, Method::Get, "/api/v1/audit", kAllowAdmin, ListAudit);
}

}  // namespace telerad::api
