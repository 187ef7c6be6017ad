#include "api/pistache_http_server.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "api/browser_session.h"
#include "api/door_handler.h"
#include "api/gzip_body.h"
#include "api/handler_pool.h"
#include "api/http_error.h"
#include "api/json_etag.h"
#include "api/pistache_request_view.h"
#include "api/request_body.h"
#include "api/request_headers.h"
#include "api/wire_response.h"
#include "src/accounts/sodium_password_hasher.h"
#include "src/audit/audit_outcome.h"
#include "src/base/logging.h"

namespace telerad::api {
namespace {

using Pistache::Http::Method;

// Each connection holds two descriptors while it has answers (ResponseSender's
// duplicate), and a WADO-RS retrieve one per instance of its study until it is sent
// (the files are opened before the answer starts, so a missing one is an error status
// rather than a cut answer): the soft limit is raised to the hard one, as nginx's
// worker_rlimit_nofile does, and at least so that http_max_connections fit.
void RaiseDescriptorLimit(int max_connections) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = static_cast<rlim_t>(max_connections) * 2 + 512;
  const rlim_t target =
      limit.rlim_max == RLIM_INFINITY ? std::max<rlim_t>(wanted, 1 << 20) : limit.rlim_max;
  if (limit.rlim_cur >= target) return;
  limit.rlim_cur = target;
  (void)::setrlimit(RLIMIT_NOFILE, &limit);
}

// Pistache 0.0.5 answers a request larger than its buffer with a plain-text 413 that no
// handler can shape (http.cc Handler::onInput), and has one buffer for every route. The
// buffer is therefore set above every route's limit (the larger of twice
// http_max_request_bytes and dicomweb_max_stow_bytes, plus room for the request line and
// headers), and each route's own limit is enforced with the API's JSON 413 while the body
// arrives (body_limit_parser.h), and again by Admit for the rare body that slips past.
size_t PistacheBufferLimit(const Config& config) {
  return std::max(2 * static_cast<size_t>(config.http_max_request_bytes),
                  static_cast<size_t>(config.dicomweb_max_stow_bytes)) +
         64 * 1024;
}

// Each route's body limit, enforced while Pistache reads the body (body_limit_parser.h).
BodyLimits BodyLimitsOf(const Config& config) {
  BodyLimits limits;
  limits.default_bytes = static_cast<size_t>(config.http_max_request_bytes);
  limits.large_bytes = static_cast<size_t>(config.dicomweb_max_stow_bytes);
  limits.max_large_bodies = config.dicomweb_stow_concurrency;
  std::vector<std::pair<Method, std::string>> large;
  for (const Route& route : AllRoutes())
    if (route.large_body) large.emplace_back(route.method, route.path);
  limits.takes_large = [large](Method method, const std::string& path) {
    for (const auto& [m, path_template] : large)
      if (m == method && PathMatchesTemplate(path, path_template)) return true;
    return false;
  };
  return limits;
}

}  // namespace

PistacheHttpServer::PistacheHttpServer(ApiServices& services, const Config& config)
    : services_(services), config_(config) {
  for (const Route& route : AllRoutes()) {
    Install(route, route.method);
    // HEAD is GET without the body (RFC 9110 9.3.2); the writer leaves the body out.
    if (route.method == Method::Get) Install(route, Method::Head);
  }
  // Pistache 0.0.5's Router::route inserts into its method map when a request comes
  // with a method that has no route, racing between reactor threads (STACK.md, issue
  // #1238). A route for every method means that map is never written after start-up.
  for (Method m : {Method::Options, Method::Get, Method::Post, Method::Head, Method::Put,
                   Method::Patch, Method::Delete, Method::Trace, Method::Connect})
    router_.addRoute(
        m, "/.well-known/telerad-method-guard",
        [this](const Pistache::Rest::Request& req, Pistache::Http::ResponseWriter response) {
          return NotFound(req, std::move(response));
        });
  router_.addNotFoundHandler(
      [this](const Pistache::Rest::Request& req, Pistache::Http::ResponseWriter response) {
        return NotFound(req, std::move(response));
      });
}

PistacheHttpServer::~PistacheHttpServer() { Stop(); }

void PistacheHttpServer::Install(const Route& route, Method method) {
  router_.addRoute(
      method, route.path,
      [this, route](const Pistache::Rest::Request& req, Pistache::Http::ResponseWriter response) {
        Dispatch(route.path.c_str(), route.large_body, req, response,
                 [this, route](const Pistache::Rest::Request& req, const Connection& connection,
                               Clock::time_point begin) { Handle(route, req, connection, begin); });
        return Pistache::Rest::Route::Result::Ok;
      });
}

void PistacheHttpServer::Handle(const Route& route, const Pistache::Rest::Request& req,
                                const Connection& connection, Clock::time_point begin) {
  RequestContext ctx;
  ctx.remote_address = ClientOf(req, config_);
  ctx.maybe_proxied = MaybeProxied(req, config_);
  ctx.over_https = OverHttps(req, config_);
  // How the request ended: the handler's Status, or the door's own refusal.
  Status outcome;
  Reply reply;
  bool csrf_refused = false;
  try {
    outcome = CheckRequestHeaders(req);
    if (outcome.ok()) outcome = Admit(route, req, ctx, &csrf_refused);
    PrepareAudit(route, req, ctx);
    if (outcome.ok()) {
      Result<Reply> answered = route.handler(services_, req, ctx);
      if (answered.ok())
        reply = std::move(*answered);
      else
        outcome = answered.status();
    }
  } catch (const std::exception& e) {
    ApiLog().error("event=handler_exception route=\"{} {}\" reason=\"{}\"",
                   MethodName(route.method), route.path, FirstLine(e.what()));
    outcome = Status::Internal("handler exception");
  }
  if (!outcome.ok()) reply = csrf_refused ? CsrfRequiredReply(outcome) : ErrorReply(outcome);
  if (req.method() == Method::Get)
    AnswerConditionally(reply, RawHeader(req, "If-None-Match").value_or(""));
  const int status = reply.status;
  // A durable entry (a read of the trail itself) is written before the answer
  // leaves: whoever has read the trail finds the row of that read in it.
  if (route.audit.durable) Audit(route, req, ctx, outcome);
  Answer(connection, req, std::move(reply));
  if (!route.audit.durable) Audit(route, req, ctx, outcome);
  // From the request's hand-over by the reactor: the wait for a worker counts.
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - begin).count();
  ApiLog().info("event=http_request method={} route={} status={} ms={:.2f} user_id={}",
                MethodName(req.method()), route.path, status, ms,
                ctx.principal ? std::to_string(ctx.principal->user_id) : "-");
  services_.metrics->HttpRequest(route.path, MethodName(req.method()), status, ms / 1000);
}

Status PistacheHttpServer::Admit(const Route& route, const Pistache::Rest::Request& req,
                                 RequestContext& ctx, bool* csrf_refused) {
  const int64_t limit =
      route.large_body ? config_.dicomweb_max_stow_bytes : config_.http_max_request_bytes;
  if (req.body().size() > static_cast<size_t>(limit)) return PayloadTooLarge(limit);
  if (route.roles == kPublic) return Status::Ok();
  auto credential = RequestCredential(req);
  // A machine token comes in the Authorization header only, never as a cookie.
  if (credential && !credential->from_cookie &&
      MachineTokenService::LooksLikeMachineToken(credential->token)) {
    // Never cached: a revoked machine token is refused from its next request on.
    auto machine = services_.machine_tokens->Authenticate(credential->token);
    if (!machine.ok()) return machine.status();
    ctx.principal = *machine;
    if (!route.accepts_machine_token)
      return Status::PermissionDenied("a machine token may only store instances (STOW-RS)");
    if ((route.roles & RoleBit(machine->role)) != 0) return Status::Ok();
    return Status::PermissionDenied("this route is not for the facility role");
  }
  if (route.accepts_scrape_token && credential && !credential->from_cookie &&
      services_.scrape_token->Matches(credential->token))
    return Status::Ok();  // a Prometheus server: no session, no principal
  if (credential && NeedsCsrfHeader(req, *credential)) {
    *csrf_refused = true;
    return Status::PermissionDenied(std::string("a change authenticated by the session cookie "
                                                "needs the header ") +
                                    kCsrfHeader + ": " + kCsrfValue);
  }
  auto who = credential ? services_.auth->Authenticate(credential->token)
                        : Result<Principal>(Status::Unauthenticated("missing bearer token"));
  if (!who.ok()) return who.status();
  ctx.principal = *who;
  if ((route.roles & RoleBit(who->role)) != 0) return Status::Ok();
  return Status::PermissionDenied(std::string("this route is not for the ") + ToString(who->role) +
                                  " role");
}

void PistacheHttpServer::PrepareAudit(const Route& route, const Pistache::Rest::Request& req,
                                      RequestContext& ctx) {
  AuditEntry& entry = ctx.audit;
  if (ctx.principal) {
    // A machine token is no account: its entry names the facility and the token.
    if (!ctx.principal->machine) entry.user_id = ctx.principal->user_id;
    entry.username = ctx.principal->username;
    entry.role = ToString(ctx.principal->role);
  }
  entry.action = route.audit.action;
  entry.object_type = route.audit.object_type;
  if (!route.audit.object_param.empty())
    entry.object_id = req.param(route.audit.object_param).as<std::string>().substr(0, 128);
  entry.remote_addr = ctx.remote_address;
  // What a change's repository appends with the change; Audit() sets the real outcome
  // of everything recorded after the handler.
  entry.outcome = AuditOutcome(Status::Ok());
}

void PistacheHttpServer::Audit(const Route& route, const Pistache::Rest::Request& req,
                               const RequestContext& ctx, const Status& outcome) {
  if (route.audit.action.empty()) return;
  // Committed in the change's own transaction (ctx.audit's id set by the repository).
  if (outcome.ok() && ctx.audit.id != 0) return;
  // A request without credentials reached no data: not worth a row each. A login
  // attempt has the name tried.
  if (!ctx.principal && ctx.audit.username.empty()) return;
  const bool change = req.method() != Method::Get && req.method() != Method::Head;
  if (change && outcome.ok() && !route.audit.summary)
    // Every change route hands ctx.audit to a write that appends it; one that did not
    // still gets its row, after the fact.
    ApiLog().warn("event=audit_outside_transaction route=\"{} {}\"", MethodName(route.method),
                  route.path);
  if (route.audit.once_per_session && outcome.ok() && AlreadyRecorded(req, ctx)) return;
  AuditEntry entry = ctx.audit;
  entry.id = 0;
  // A summary entry carries the outcome its handler decided (e.g. "invalid" when some
  // instances of a STOW-RS request failed though the request was answered).
  if (!(route.audit.summary && outcome.ok())) entry.outcome = AuditOutcome(outcome);
  // Reads are recorded without waiting for the WAL flush; refused changes, logins and
  // reads of the audit trail itself durably.
  services_.audit->Record(entry, change || route.audit.durable);
}

bool PistacheHttpServer::AlreadyRecorded(const Pistache::Rest::Request& req,
                                         const RequestContext& ctx) {
  if (!ctx.principal || ctx.principal->machine) return false;
  auto credential = RequestCredential(req);
  if (!credential) return false;
  // The session is known by its token's digest, as the sessions table knows it: the
  // memory never holds a usable token.
  return !services_.audit_once->FirstAccess(TokenDigest(credential->token),
                                            ctx.audit.object_type + "/" + ctx.audit.object_id);
}

Status PistacheHttpServer::Start() {
  std::optional<ViewerFiles> viewer;
  if (!config_.viewer_dir.empty()) {
    auto opened = ViewerFiles::Open(config_.viewer_dir);
    if (opened.ok()) {
      viewer.emplace(std::move(*opened));
    } else {
      // The API serves without it; the log says where the viewer was looked for.
      ApiLog().warn("event=viewer_unavailable dir={} reason=\"{}\"", config_.viewer_dir,
                    opened.status().message());
    }
  }
  std::optional<PagesFiles> pages;
  if (!config_.pages_dir.empty()) {
    auto opened = PagesFiles::Open(config_.pages_dir);
    if (opened.ok()) {
      pages.emplace(std::move(*opened));
    } else {
      ApiLog().warn("event=pages_unavailable dir={} reason=\"{}\"", config_.pages_dir,
                    opened.status().message());
    }
  }
  site_.emplace(std::move(viewer), std::move(pages));
  ResponseSender::Limits send_limits;
  send_limits.send_timeout = config_.http_send_timeout;
  send_limits.min_rate_bytes = static_cast<size_t>(config_.http_send_min_rate);
  send_limits.max_queued_bytes = static_cast<size_t>(config_.http_send_buffer_bytes);
  sender_ = std::make_unique<ResponseSender>(send_limits);
  if (Status s = sender_->Start(); !s.ok()) return s;
  HandlerPool::Limits pool_limits;
  pool_limits.threads = config_.http_workers;
  handlers_ = std::make_unique<HandlerPool>(pool_limits);
  handlers_->Start();
  body_guard_ = std::make_shared<BodyLimitGuard>(BodyLimitsOf(config_));
  RaiseDescriptorLimit(config_.http_max_connections);
  try {
    Pistache::Address address(config_.http_bind,
                              Pistache::Port(static_cast<uint16_t>(config_.http_port)));
    endpoint_ = std::make_unique<Pistache::Http::Endpoint>(address);
    auto options = Pistache::Http::Endpoint::options()
                       .threads(config_.http_threads)
                       .maxRequestSize(PistacheBufferLimit(config_))
                       .headerTimeout(config_.http_header_timeout)
                       .bodyTimeout(config_.http_body_timeout)
                       .flags(Pistache::Tcp::Options::ReuseAddr);
    endpoint_->init(options);
    DoorHandler::Limits limits;
    limits.max_target_bytes = static_cast<size_t>(config_.http_max_target_bytes);
    limits.max_header_bytes = static_cast<size_t>(config_.http_max_header_bytes);
    limits.max_connections = config_.http_max_connections;
    endpoint_->setHandler(std::make_shared<DoorHandler>(
        router_.handler(), limits,
        [this](const Pistache::Http::Request& req, Pistache::Http::ResponseWriter response,
               const Reply& reply) { Refused(req, std::move(response), reply); },
        body_guard_,
        [this](Pistache::Tcp::Peer& peer, const Reply& reply, const char* status_line,
               bool retry_after) { RefusedWhileParsing(peer, reply, status_line, retry_after); }));
    endpoint_->serveThreaded();
  } catch (const std::exception& e) {
    endpoint_.reset();
    return Status::Unavailable("cannot serve HTTP on port " + std::to_string(config_.http_port) +
                               ": " + e.what());
  }
  ApiLog().info(
      "event=http_listening bind={} port={} threads={} trusted_proxies={} viewer={} pages={}",
      config_.http_bind, config_.http_port, config_.http_threads,
      config_.http_trusted_proxies.size(), site_->has_viewer() ? "on" : "off",
      site_->has_pages() ? "on" : "off");
  return Status::Ok();
}

void PistacheHttpServer::Stop() {
  if (endpoint_) {
    endpoint_->shutdown();
    endpoint_.reset();
  }
  // Requests already handed over are answered before the writer stops.
  if (handlers_) handlers_->Stop();
  if (sender_) {
    // Answers still leaving get a moment to finish; a stalled client does not hold the stop.
    for (int i = 0; i < 20 && sender_->waiting_connections() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    sender_->Stop();
  }
}

}  // namespace telerad::api
