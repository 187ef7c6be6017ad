// GET /api/v1/audit: the audit trail, read-only (admins). Reading it is itself audited
// ("audit.view", durably): who read, with which filters, and how many entries came back.
#include "api/audit_json.h"
#include "api/json_common.h"
#include "api/query_params.h"
#include "api/route_table.h"

namespace telerad::api {
namespace {

// The filters of an audit read and its result count, as the read's own entry records
// them (each value cut to 128 bytes: the trail is not a store for what a client sends).
std::string ReadDetail(const AuditQuery& q, size_t count) {
  nlohmann::json filters = nlohmann::json::object();
  auto add = [&](const char* name, const std::optional<std::string>& v) {
    if (v) filters[name] = v->substr(0, 128);
  };
  add("username", q.username);
  add("action", q.action);
  add("object_id", q.object_id);
  if (q.from) filters["from"] = FormatTime(*q.from);
  if (q.to) filters["to"] = FormatTime(*q.to);
  filters["limit"] = q.limit;
  if (q.cursor) filters["cursor"] = q.cursor->substr(0, 128);
  return nlohmann::json{{"filters", filters}, {"count", count}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

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
  ctx.audit.detail = ReadDetail(query, page.ok() ? page->items.size() : 0);
  if (!page.ok()) return page.status();
  return Reply::Json(ListJson(page->items, AuditEntryJson, page->next_cursor));
}

}  // namespace

void AddAuditRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  Register(routes, Method::Get, "/api/v1/audit", kAllowAdmin, ListAudit,
           {"audit.view", "audit", "", /*durable=*/true});
}

}  // namespace telerad::api
