#include "api/body_limit_parser.h"

#include "api/http_error.h"
#include "api/raw_headers_parser.h"
#include "api/socket_refusal.h"
#include "src/base/logging.h"

namespace telerad::api {
namespace {

using Pistache::Http::Request;
using Pistache::Http::Private::State;
using Pistache::Http::Private::Step;
using Pistache::Http::Private::StepId;

// Wraps Pistache's body step (see the header).
class BodyLimitStep : public Step {
 public:
  BodyLimitStep(Request* request, std::unique_ptr<Step> body, std::shared_ptr<BodyLimitGuard> guard,
                ParserRefusal refuse)
      : Step(request),
        body_(std::move(body)),
        guard_(std::move(guard)),
        refuse_(std::move(refuse)) {}
  ~BodyLimitStep() override { ReleaseSlot(); }

  StepId id() const override { return body_->id(); }

  State apply(Pistache::StreamCursor& cursor) override {
    // Refused: the connection ends with the answer (socket_refusal.h); whatever still
    // arrives is not parsed.
    if (refused_) return State::Again;
    const auto* request = static_cast<const Request*>(message);
    const BodyLimits& limits = guard_->limits();
    // Only a request carrying credentials may send a large body: an anonymous client
    // cannot take the upload slots (its request would be 401 anyway).
    const bool large_route = limits.takes_large &&
                             limits.takes_large(request->method(), request->resource()) &&
                             request->headers().tryGetRaw("Authorization").has_value();
    const size_t limit = large_route ? limits.large_bytes : limits.default_bytes;
    size_t declared = 0;
    if (auto cl = request->headers().tryGet<Pistache::Http::Header::ContentLength>())
      declared = static_cast<size_t>(cl->value());
    if (declared > limit) return Refuse413(limit);
    if (large_route && declared > limits.default_bytes && !TakeSlot()) return Refuse503();
    const State state = body_->apply(cursor);
    const size_t have = request->body().size();
    if (have > limit) return Refuse413(limit);
    if (large_route && have > limits.default_bytes && !TakeSlot()) return Refuse503();
    return state;
  }

  // The request was answered (or dropped): its body goes, and with it the slot.
  void ReleaseSlot() {
    if (!holds_slot_) return;
    holds_slot_ = false;
    guard_->Leave();
  }

 private:
  bool TakeSlot() {
    if (holds_slot_) return true;
    holds_slot_ = guard_->Enter();
    return holds_slot_;
  }

  State Refuse413(size_t limit) {
    static_assert(sizeof(size_t) >= sizeof(int64_t));
    const Reply reply =
        TooLargeReply(PayloadTooLarge(static_cast<int64_t>(limit)), RequestPart::kBody);
    return RefuseWith(reply, "413 Payload Too Large", false, 413);
  }

  State Refuse503() {
    const Reply reply = ErrorReply(Status::Unavailable("too many large uploads at once"));
    return RefuseWith(reply, "503 Service Unavailable", true, 503);
  }

  State RefuseWith(const Reply& reply, const char* status_line, bool retry_after, int status) {
    refused_ = true;
    ReleaseSlot();
    // The body is never read, so the connection cannot go on: it ends with the answer.
    refuse_(reply, status_line, retry_after);
    ApiLog().info("event=http_body_refused status={} large_bodies={}", status,
                  guard_->large_bodies());
    return State::Again;
  }

  std::unique_ptr<Step> body_;
  std::shared_ptr<BodyLimitGuard> guard_;
  ParserRefusal refuse_;
  bool holds_slot_ = false;
  bool refused_ = false;
};

class BodyLimitParser : public RawHeadersParser {
 public:
  BodyLimitParser(size_t max_request_size, std::shared_ptr<BodyLimitGuard> guard,
                  const ParserRefusal& refuse)
      : RawHeadersParser(max_request_size, refuse) {
    auto step =
        std::make_unique<BodyLimitStep>(&request, std::move(allSteps[2]), std::move(guard), refuse);
    body_step_ = step.get();
    allSteps[2] = std::move(step);
  }
  // Pistache resets the parser once the request is answered (Handler::onInput).
  void reset() override {
    body_step_->ReleaseSlot();
    RawHeadersParser::reset();
  }

 private:
  BodyLimitStep* body_step_;
};

}  // namespace

bool BodyLimitGuard::Enter() {
  int now = large_.load();
  do {
    if (now >= limits_.max_large_bodies) return false;
  } while (!large_.compare_exchange_weak(now, now + 1));
  return true;
}

void BodyLimitGuard::Leave() { --large_; }

std::shared_ptr<Pistache::Http::RequestParser> MakeBodyLimitParser(
    size_t max_request_size, std::shared_ptr<BodyLimitGuard> guard, ParserRefusal refuse) {
  return std::make_shared<BodyLimitParser>(max_request_size, std::move(guard), refuse);
}

bool PathMatchesTemplate(const std::string& path, const std::string& route_template) {
  size_t p = 0, t = 0;
  while (p < path.size() && t < route_template.size()) {
    const size_t p_end = std::min(path.find('/', p + 1), path.size());
    const size_t t_end = std::min(route_template.find('/', t + 1), route_template.size());
    const std::string_view ps(path.data() + p, p_end - p);
    const std::string_view ts(route_template.data() + t, t_end - t);
    const bool param = ts.size() > 2 && ts[1] == ':';
    if (param ? ps.size() < 2 : ps != ts) return false;
    p = p_end;
    t = t_end;
  }
  return p == path.size() && t == route_template.size();
}

}  // namespace telerad::api
