// HttpServer: telerad's HTTP door on Pistache. Installs the RouteTable behind one
// wrapper that admits the request (size, session, role), calls the handler, answers a
// failed Status through ErrorReply (http_error.h), records the audit entry, catches every
// exception (last resort: 500), and logs one line per request, counted in ServerMetrics
// by route template. In front of the router sits a DoorHandler (door_handler.h) bounding
// the request target, the header fields and open connections; Pistache's header and body
// timeouts bound slow clients. Start() and Stop() are called from one owning thread.
#pragma once

#include <pistache/endpoint.h>
#include <pistache/router.h>

#include <memory>
#include <optional>
#include <string>

#include "api/route_table.h"
#include "src/config/config.h"

namespace telerad::api {

class HttpServer {
 public:
  // REQUIRES: `services` (metrics and scrape_token included) outlives the server.
  HttpServer(ApiServices& services, const Config& config);
  ~HttpServer();

  // Binds and serves on background reactor threads. kUnavailable if it cannot bind.
  Status Start();
  void Stop();

 private:
  void Install(const Route& route);
  // Whether the request may reach the route's handler: kInvalidArgument (413) for a body
  // over the limit, kUnauthenticated without a valid session (or the scrape token, where
  // the route takes it), kPermissionDenied for a role the route does not allow. Sets
  // ctx.principal once authenticated.
  Status Admit(const Route& route, const Pistache::Rest::Request& req, RequestContext& ctx);
  // Answers a request no route takes (404), counted as route "unmatched".
  Pistache::Rest::Route::Result NotFound(const Pistache::Rest::Request& req,
                                         Pistache::Http::ResponseWriter response);
  // Answers a request DoorHandler refused before routing (414, 431), counted as route
  // "unmatched" like NotFound.
  void Refused(const Pistache::Http::Request& req, Pistache::Http::ResponseWriter response,
               const Reply& reply);
  // Appends the route's audit entry (if it has one) for an answered request that ended
  // with `outcome`.
  // Fills ctx.audit from the route and the caller before the handler runs.
  void PrepareAudit(const Route& route, const Pistache::Rest::Request& req, RequestContext& ctx);
  void Audit(const Route& route, const Pistache::Rest::Request& req, const RequestContext& ctx,
             const Status& outcome);

  ApiServices& services_;
  const Config config_;
  Pistache::Rest::Router router_;
  std::unique_ptr<Pistache::Http::Endpoint> endpoint_;
};

}  // namespace telerad::api
