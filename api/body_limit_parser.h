// Per-route request body limits inside Pistache's parser, so that memory stays bounded.
//
// Pistache 0.0.5 buffers a whole request before any handler runs and has one buffer limit
// for every route (maxRequestSize; pistache@0.0.5:src/common/http.cc Handler::onInput).
// STOW-RS needs a large one (dicomweb_max_stow_bytes), every other route keeps
// http_max_request_bytes. The parser DoorHandler gives each connection wraps Pistache's
// body step (it is a virtual Step of the parser's three) and, as soon as the request
// line and headers are in and on every body chunk after, checks the body against the
// limit of the route it is for: a declared Content-Length over it, or a chunked body
// growing past it, is answered 413 (the API's JSON error), after the connection's earlier
// answers (socket_refusal.h), and the connection is closed, before the body is buffered. Only a
// request with an Authorization header gets the large limit (an anonymous one cannot take upload
// slots). A body over http_max_request_bytes also needs one of `max_large_bodies` slots, held until
// its request is answered; with none free the answer is 503 with Retry-After. So at most
// `max_large_bodies` large bodies are in memory at once, each at most the large limit, and every
// other connection holds at most about http_max_request_bytes.
#pragma once

#include <pistache/http.h>

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "api/socket_refusal.h"

namespace telerad::api {

struct BodyLimits {
  size_t default_bytes = 1 << 20;  // http_max_request_bytes
  size_t large_bytes = 256 << 20;  // dicomweb_max_stow_bytes
  int max_large_bodies = 2;        // dicomweb_stow_concurrency
  // Whether a request for (method, path) may carry a large body (Route::large_body).
  std::function<bool(Pistache::Http::Method, const std::string&)> takes_large;
};

// Shared by every connection: the limits and the large bodies in flight.
class BodyLimitGuard {
 public:
  explicit BodyLimitGuard(BodyLimits limits) : limits_(std::move(limits)) {}
  const BodyLimits& limits() const { return limits_; }
  // Takes a slot for a large body; false when all are taken.
  bool Enter();
  void Leave();
  // Counts one more large body whatever the limit: a body that held a parser's slot and
  // outlives the parser's reset (its handler runs on another thread) keeps counting.
  void Adopt() { ++large_; }
  int large_bodies() const { return large_.load(); }

 private:
  BodyLimits limits_;
  std::atomic<int> large_{0};
};

// A large body kept after its parser let go of its slot: counted until this goes.
class HeldLargeBody {
 public:
  explicit HeldLargeBody(std::shared_ptr<BodyLimitGuard> guard) : guard_(std::move(guard)) {
    guard_->Adopt();
  }
  ~HeldLargeBody() { guard_->Leave(); }
  HeldLargeBody(const HeldLargeBody&) = delete;
  HeldLargeBody& operator=(const HeldLargeBody&) = delete;

 private:
  std::shared_ptr<BodyLimitGuard> guard_;
};

// The parser for one connection; `refuse` answers a refused request (socket_refusal.h).
// `max_request_size` is Pistache's own buffer limit, which must hold the largest request
// allowed.
std::shared_ptr<Pistache::Http::RequestParser> MakeBodyLimitParser(
    size_t max_request_size, std::shared_ptr<BodyLimitGuard> guard, ParserRefusal refuse);

// Whether `path` matches a route template such as /dicomweb/studies/:study_uid (each
// ":name" segment matches one non-empty segment).
bool PathMatchesTemplate(const std::string& path, const std::string& route_template);

}  // namespace telerad::api
