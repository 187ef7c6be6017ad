// PistacheHttpServer's side of the connections: the hand-over of each request from the
// reactor thread to the handler pool, and the answers' way out (pistache_http_server.h).
#include <sys/socket.h>

#include <utility>

#include "api/door_handler.h"
#include "api/gzip_body.h"
#include "api/http_error.h"
#include "api/pistache_http_server.h"
#include "api/pistache_request_view.h"
#include "api/socket_refusal.h"
#include "src/base/logging.h"

namespace telerad::api {
namespace {

using Pistache::Http::Method;

// The peer's Connection, made on its first request (peer data lives as long as the peer).
constexpr const char* kConnectionData = "telerad.connection";

}  // namespace

std::shared_ptr<PistacheHttpServer::Connection> PistacheHttpServer::ConnectionOf(
    Pistache::Http::ResponseWriter& response) {
  std::shared_ptr<Pistache::Tcp::Peer> peer;
  try {
    peer = response.peer();
  } catch (const std::exception&) {
    return nullptr;  // the client is gone
  }
  // Pistache marks a peer idle in its own send (http.cc ResponseWriter::sendImpl); its
  // idle check (endpoint.cc checkIdlePeers) would otherwise count this connection as
  // waiting for a request and write a 408 of its own into it after http_header_timeout.
  // Marked here, on the reactor thread that owns the flag, before the handler runs.
  peer->setIdle(true);
  auto connection = std::static_pointer_cast<Connection>(peer->tryGetData(kConnectionData));
  if (!connection) {
    connection = std::make_shared<Connection>();
    connection->outgoing = std::make_shared<OutgoingConnection>(peer->fd());
    connection->strand = std::make_shared<HandlerPool::Strand>();
    peer->putData(kConnectionData, connection);
  }
  return connection;
}

void PistacheHttpServer::Dispatch(const char* route_label, bool large_body,
                                  const Pistache::Rest::Request& req,
                                  Pistache::Http::ResponseWriter& response, Work work) {
  const Clock::time_point received = Clock::now();
  std::shared_ptr<Connection> connection = ConnectionOf(response);
  if (!connection) return;
  if (handlers_->Busy() && handlers_->Idle(*connection->strand)) {
    // Every worker is behind a long queue: a clear answer now beats one in seconds. Only
    // on a connection with nothing pending, so that it cannot overtake an earlier answer.
    Reply busy = ErrorReply(Status::Unavailable("the server is busy; try again shortly"));
    busy.headers.emplace_back("Retry-After", "1");
    ApiLog().warn("event=http_workers_busy waiting={}", handlers_->waiting());
    Answer(*connection, req, std::move(busy));
    services_.metrics->HttpRequest(route_label, MethodName(req.method()), 503, 0);
    return;
  }
  // The request moves into the task: Pistache's Route::Handler takes it by value
  // (router.h: std::function<Result(const Request, ResponseWriter)>; a parameter's
  // top-level const is not part of the function type), so `req` is this call's own copy,
  // which nothing reads after the handler returns. Copying it would copy a STOW body.
  auto request = std::make_shared<Pistache::Rest::Request>(
      std::move(const_cast<Pistache::Rest::Request&>(req)));
  // Pistache gives the body's upload slot back when the handler returns (the parser's
  // reset): a large body waiting for or in a worker keeps counting against the limit.
  std::shared_ptr<HeldLargeBody> held;
  // std::as_const: Pistache's non-const body() returns a copy of the body.
  if (large_body &&
      std::as_const(*request).body().size() > static_cast<size_t>(config_.http_max_request_bytes))
    held = std::make_shared<HeldLargeBody>(body_guard_);
  const bool queued = handlers_->Submit(
      connection->strand, [request, connection, held, received, work = std::move(work)] {
        work(*request, *connection, received);
      });
  if (!queued) {
    // A client sending request after request without waiting for the answers: dropped
    // as ResponseSender drops one that does not read them.
    sender_->Reset(connection->outgoing, "too_many_pending");
  }
}

void PistacheHttpServer::Answer(const Connection& connection, const Pistache::Http::Request& req,
                                Reply reply) {
  const auto accept_encoding = RawHeader(req, "Accept-Encoding");
  Answer(connection, accept_encoding && AcceptsGzip(*accept_encoding), WireRequestOf(req),
         std::move(reply));
}

void PistacheHttpServer::Answer(const Connection& connection, bool accepts_gzip,
                                const WireRequest& wire, Reply reply) {
  CompressForClient(reply, accepts_gzip);
  size_t memory = reply.body.size() + 512;
  for (const auto& piece : reply.pieces)
    if (!piece.is_file()) memory += piece.bytes.size();
  if (!sender_->Admits(memory)) {
    ApiLog().warn("event=http_send_buffer_full queued_bytes={}", sender_->queued_bytes());
    reply = ErrorReply(Status::Unavailable("send buffer full"));
    reply.headers.emplace_back("Retry-After", "1");
  }
  sender_->Send(connection.outgoing, Serialise(std::move(reply), wire));
}

Pistache::Rest::Route::Result PistacheHttpServer::NotFound(
    const Pistache::Rest::Request& req, Pistache::Http::ResponseWriter response) {
  Dispatch(ServerMetrics::kUnmatchedRoute, false, req, response,
           [this](const Pistache::Rest::Request& req, const Connection& connection,
                  Clock::time_point begin) {
             Reply reply = ErrorReply(Status::NotFound("no such route"));
             if (site_ && (req.method() == Method::Get || req.method() == Method::Head)) {
               const auto accept_encoding = RawHeader(req, "Accept-Encoding");
               auto answered =
                   site_->Serve(req.resource(), accept_encoding && AcceptsGzip(*accept_encoding),
                                RawHeader(req, "If-None-Match").value_or(""));
               reply = answered.ok() ? std::move(*answered) : ErrorReply(answered.status());
             }
             const int status = reply.status;
             Answer(connection, req, std::move(reply));
             // Counted under one label value: the path a client made up never becomes a label.
             services_.metrics->HttpRequest(
                 ServerMetrics::kUnmatchedRoute, MethodName(req.method()), status,
                 std::chrono::duration<double>(Clock::now() - begin).count());
           });
  return Pistache::Rest::Route::Result::Ok;
}

void PistacheHttpServer::Refused(const Pistache::Http::Request& req,
                                 Pistache::Http::ResponseWriter response, const Reply& reply) {
  // Neither the path nor the header values are logged: they are what was too large.
  ApiLog().info("event=http_refused method={} status={} target_bytes={} peer={}",
                MethodName(req.method()), reply.status, TargetBytes(req), ClientOf(req, config_));
  services_.metrics->HttpRequest(ServerMetrics::kUnmatchedRoute, MethodName(req.method()),
                                 reply.status, 0);
  std::shared_ptr<Connection> connection = ConnectionOf(response);
  if (!connection) return;
  if (handlers_->Idle(*connection->strand)) {
    Answer(*connection, req, reply);
    return;
  }
  // Behind an earlier request of this connection still being answered. Only what the
  // answer needs waits, never the refused request's body.
  const auto accept_encoding = RawHeader(req, "Accept-Encoding");
  const bool gzip = accept_encoding && AcceptsGzip(*accept_encoding);
  if (!handlers_->Submit(connection->strand, [this, connection, gzip, wire = WireRequestOf(req),
                                              reply] { Answer(*connection, gzip, wire, reply); }))
    sender_->Reset(connection->outgoing, "too_many_pending");
}

void PistacheHttpServer::RefusedWhileParsing(Pistache::Tcp::Peer& peer, const Reply& reply,
                                             const char* status_line, bool retry_after) {
  auto connection = std::static_pointer_cast<Connection>(peer.tryGetData(kConnectionData));
  if (!connection) {
    // The connection's first request: nothing has been or will be answered on it.
    AnswerAndClose(peer.fd(), reply, status_line, retry_after);
    return;
  }
  // An earlier request of this connection went to the workers: its answer may still be
  // in its handler or in ResponseSender's queue, and a write straight to the socket
  // would overtake it (or cut into it). So nothing more of the connection is read
  // (Pistache sees end-of-file and drops the peer; the answers go out on our own
  // descriptor, OutgoingConnection), and the refusal, with Connection: close, follows
  // the earlier answers through the strand and the sender.
  ::shutdown(peer.fd(), SHUT_RD);
  Reply refusal = reply;
  if (retry_after) refusal.headers.emplace_back("Retry-After", "1");
  WireRequest wire;
  wire.connection_close = true;
  if (handlers_->Idle(*connection->strand)) {
    Answer(*connection, false, wire, std::move(refusal));
    return;
  }
  if (!handlers_->Submit(connection->strand, [this, connection, wire, refusal] {
        Answer(*connection, false, wire, refusal);
      }))
    sender_->Reset(connection->outgoing, "too_many_pending");
}

}  // namespace telerad::api
