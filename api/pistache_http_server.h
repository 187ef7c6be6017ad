// PistacheHttpServer: telerad's HTTP door on Pistache, behind the HttpServer facade
// (http_server.h) so that the app never sees a Pistache header. Installs the RouteTable behind one
// wrapper that admits the request (size, session, role), calls the handler, answers a
// failed Status through ErrorReply (http_error.h), records the audit entry, catches every
// exception (last resort: 500), and logs one line per request, counted in ServerMetrics
// by route template. In front of the router sits a DoorHandler (door_handler.h) bounding
// the request target, the header fields and open connections; Pistache's header and body
// timeouts bound slow clients. Handlers run on the HandlerPool's workers (handler_pool.h),
// never on a reactor thread, one request at a time per connection. Every answer leaves
// through the ResponseSender (response_sender.h), never through Pistache's writer; GET
// routes also answer HEAD.
// Paths no route takes are the pages' or the viewer's files (site_files.h).
// Start() and Stop() are called from one owning thread.
#pragma once

#include <pistache/endpoint.h>
#include <pistache/router.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/body_limit_parser.h"
#include "api/handler_pool.h"
#include "api/response_sender.h"
#include "api/route_table.h"
#include "api/site_files.h"
#include "src/config/config.h"

namespace telerad::api {

class PistacheHttpServer {
 public:
  // REQUIRES: `services` (metrics and scrape_token included) outlives the server.
  PistacheHttpServer(ApiServices& services, const Config& config);
  ~PistacheHttpServer();

  // Binds and serves on background reactor threads. kUnavailable if it cannot bind.
  Status Start();
  void Stop();

 private:
  using Clock = std::chrono::steady_clock;
  // What telerad keeps per connection: its answers' writer and its handlers' queue.
  struct Connection {
    std::shared_ptr<OutgoingConnection> outgoing;
    std::shared_ptr<HandlerPool::Strand> strand;
  };
  // A request's work on a worker thread; `received` is when the reactor handed it over.
  using Work = std::function<void(const Pistache::Rest::Request&, const Connection&,
                                  Clock::time_point received)>;

  void Install(const Route& route, Pistache::Http::Method method);
  // The peer's Connection, made on its first request; null when the client is gone.
  // Marks the peer idle for Pistache. Reactor thread only.
  std::shared_ptr<Connection> ConnectionOf(Pistache::Http::ResponseWriter& response);
  // On the reactor thread: hands the request (moved out of Pistache's copy) and `work`
  // to the handler pool, behind the connection's earlier requests; answers 503 itself
  // when the pool is busy, and resets a connection with too many requests pending.
  // `route_label` names the route in the metrics; `large_body` routes keep their upload
  // slot while they wait and run.
  void Dispatch(const char* route_label, bool large_body, const Pistache::Rest::Request& req,
                Pistache::Http::ResponseWriter& response, Work work);
  // Runs a route for one request on a worker: admit, handler, audit, answer, log, count.
  void Handle(const Route& route, const Pistache::Rest::Request& req, const Connection& connection,
              Clock::time_point begin);
  // Answers `reply` on the connection through sender_ (gzip where it pays and the client
  // accepts it; 503 when the sender's memory bound is reached). Any thread.
  void Answer(const Connection& connection, const Pistache::Http::Request& req, Reply reply);
  void Answer(const Connection& connection, bool accepts_gzip, const WireRequest& wire,
              Reply reply);
  // Whether the request may reach the route's handler: kInvalidArgument (413) for a body
  // over the limit, kUnauthenticated without a valid session (or the scrape token, where
  // the route takes it), kPermissionDenied for a role the route does not allow. Sets
  // ctx.principal once authenticated.
  // kPermissionDenied with *csrf_refused set for a cookie-authenticated change without
  // the CSRF header (browser_session.h).
  Status Admit(const Route& route, const Pistache::Rest::Request& req, RequestContext& ctx,
               bool* csrf_refused);
  // Answers a request no route takes: for GET and HEAD a file of the pages or the viewer
  // by the path map (site_files.h), else 404; counted as route "unmatched".
  Pistache::Rest::Route::Result NotFound(const Pistache::Rest::Request& req,
                                         Pistache::Http::ResponseWriter response);
  // Answers a request DoorHandler refused before routing (414, 431), counted as route
  // "unmatched" like NotFound.
  void Refused(const Pistache::Http::Request& req, Pistache::Http::ResponseWriter response,
               const Reply& reply);
  // Answers a refusal of `peer`'s parser (a malformed header field, a body over its limit,
  // no upload slot: socket_refusal.h) and ends the connection: at once on the socket on
  // a connection's first request, else behind the answers of its earlier requests.
  // Reactor thread only.
  void RefusedWhileParsing(Pistache::Tcp::Peer& peer, const Reply& reply, const char* status_line,
                           bool retry_after);
  // Appends the route's audit entry (if it has one) for an answered request that ended
  // with `outcome`.
  // Fills ctx.audit from the route and the caller before the handler runs.
  void PrepareAudit(const Route& route, const Pistache::Rest::Request& req, RequestContext& ctx);
  void Audit(const Route& route, const Pistache::Rest::Request& req, const RequestContext& ctx,
             const Status& outcome);
  // Whether a once_per_session route's successful read of ctx.audit's object was already
  // recorded for this session (a user's, not a machine token's); marks it recorded.
  bool AlreadyRecorded(const Pistache::Rest::Request& req, const RequestContext& ctx);

  ApiServices& services_;
  const Config config_;
  Pistache::Rest::Router router_;
  std::unique_ptr<ResponseSender> sender_;
  std::unique_ptr<HandlerPool> handlers_;
  std::shared_ptr<BodyLimitGuard> body_guard_;
  std::optional<SiteFiles> site_;  // set by Start()
  std::unique_ptr<Pistache::Http::Endpoint> endpoint_;
};

}  // namespace telerad::api
