// DoorHandler: the Pistache handler in front of the router, refusing what must never
// reach it. Pistache 0.0.5's Router::route runs std::regex_replace("//+") over the path,
// which recurses once per repeated '/' and overflows a reactor thread's stack past some
// 20,000 of them, killing the process (STACK.md, Pistache). So before the router runs,
// a request whose path and query are longer than max_target_bytes is answered 414, and
// one whose header fields exceed max_header_bytes or kMaxHeaders fields is answered 431,
// and one whose target holds bytes a URI may not (raw non-ASCII, controls) 400.
// It also bounds open connections: past max_connections a new one is answered 503 and
// closed at once, so an idle or slow crowd cannot take every file descriptor.
//
// Pistache clones the handler for each reactor thread; the clones share the connection
// count and the next handler (the router's, which Pistache itself shares between its
// clones). The `refuse` callback answers and records a refusal; it must be safe to call
// from any reactor thread. `refuse_parsing` answers the refusals of a connection's parser
// (socket_refusal.h) on the peer's reactor thread; without it they are answered straight
// on the socket.
#pragma once

#include <pistache/http.h>
#include <pistache/peer.h>

#include <atomic>
#include <functional>
#include <memory>

#include "api/body_limit_parser.h"
#include "api/http_error.h"

namespace telerad::api {

class DoorHandler : public Pistache::Http::Handler {
 public:
  HTTP_PROTOTYPE(DoorHandler)

  static constexpr size_t kMaxHeaders = 100;

  struct Limits {
    size_t max_target_bytes = 8192;
    size_t max_header_bytes = 16384;
    int max_connections = 1024;
  };
  using Refuse = std::function<void(const Pistache::Http::Request&, Pistache::Http::ResponseWriter,
                                    const Reply&)>;
  using RefuseParsing = std::function<void(Pistache::Tcp::Peer& peer, const Reply& reply,
                                           const char* status_line, bool retry_after)>;

  // REQUIRES: `next` and `refuse` valid for the handler's (and its clones') lifetime.
  // `bodies`: the per-route body limits each connection's parser enforces
  // (body_limit_parser.h); null: Pistache's one limit only.
  DoorHandler(std::shared_ptr<Pistache::Http::Handler> next, Limits limits, Refuse refuse,
              std::shared_ptr<BodyLimitGuard> bodies = nullptr,
              RefuseParsing refuse_parsing = nullptr);

  void onRequest(const Pistache::Http::Request& request,
                 Pistache::Http::ResponseWriter response) override;
  void onConnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) override;
  void onDisconnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) override;

  // Connections open now (for tests and logs).
  int open_connections() const { return *open_; }

 private:
  std::shared_ptr<Pistache::Http::Handler> next_;
  Limits limits_;
  Refuse refuse_;
  std::shared_ptr<std::atomic<int>> open_;
  std::shared_ptr<BodyLimitGuard> bodies_;
  RefuseParsing refuse_parsing_;
};

// The size of a request's target (path plus '?' and query string) as the client sent it,
// and of its header fields (names and values), as DoorHandler measures them.
size_t TargetBytes(const Pistache::Http::Request& request);
size_t HeaderBytes(const Pistache::Http::Request& request, size_t* count);
// Whether the target holds only the bytes a URI may (0x21..0x7E), the rest being
// percent-encoded; DoorHandler answers 400 otherwise.
bool TargetIsPrintableAscii(const Pistache::Http::Request& request);

}  // namespace telerad::api
