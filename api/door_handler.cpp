#include "api/door_handler.h"

#include <sys/socket.h>

#include <string>

#include "api/raw_headers_parser.h"

namespace telerad::api {
namespace {

// Lives in the peer's data for as long as Pistache keeps the peer: its destructor gives
// the slot back on every way a connection ends (client close, error, Pistache's own
// idle and header timeouts, which drop a peer without calling onDisconnection).
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::shared_ptr<std::atomic<int>> open) : open_(std::move(open)) {
    ++*open_;
  }
  ~ConnectionSlot() { --*open_; }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  std::shared_ptr<std::atomic<int>> open_;
};

constexpr const char* kSlotData = "telerad.connection_slot";

// The 503 for a connection over the limit, written straight to the socket: no request
// has been read yet, so there is no ResponseWriter to answer through.
std::string OverCapacityResponse() {
  const Reply reply = ErrorReply(Status::Unavailable("too many connections"));
  return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: " + reply.content_type +
         "\r\nContent-Length: " + std::to_string(reply.body.size()) +
         "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" + reply.body;
}

}  // namespace

size_t TargetBytes(const Pistache::Http::Request& request) {
  const std::string query = request.query().as_str();
  return request.resource().size() + (query.empty() ? 0 : 1 + query.size());
}

bool TargetIsPrintableAscii(const Pistache::Http::Request& request) {
  auto printable = [](const std::string& s) {
    for (unsigned char c : s)
      if (c <= 0x20 || c >= 0x7F) return false;
    return true;
  };
  return printable(request.resource()) && printable(request.query().as_str());
}

size_t HeaderBytes(const Pistache::Http::Request& request, size_t* count) {
  size_t bytes = 0;
  *count = 0;
  // Every field is in the raw list, the few also parsed into objects too
  // (raw_headers_parser.h).
  for (const auto& [name, raw] : request.headers().rawList()) {
    bytes += name.size() + raw.value().size();
    ++*count;
  }
  return bytes;
}

DoorHandler::DoorHandler(std::shared_ptr<Pistache::Http::Handler> next, Limits limits,
                         Refuse refuse, std::shared_ptr<BodyLimitGuard> bodies,
                         RefuseParsing refuse_parsing)
    : next_(std::move(next)),
      limits_(limits),
      refuse_(std::move(refuse)),
      open_(std::make_shared<std::atomic<int>>(0)),
      bodies_(std::move(bodies)),
      refuse_parsing_(std::move(refuse_parsing)) {}

void DoorHandler::onConnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) {
  // What Http::Handler::onConnection does (it is private there): every peer needs its
  // parser, refused ones too, since Pistache's idle check reads it for each peer.
  ParserRefusal parser_refusal = RefuseOnSocket(peer->fd());
  if (refuse_parsing_) {
    // Weak: the parser lives in the peer's data. The peer is alive whenever its parser
    // runs (Pistache holds it while it reads).
    parser_refusal = [refuse = refuse_parsing_, weak = std::weak_ptr<Pistache::Tcp::Peer>(peer)](
                         const Reply& reply, const char* status_line, bool retry_after) {
      if (auto alive = weak.lock()) refuse(*alive, reply, status_line, retry_after);
    };
  }
  if (bodies_)
    peer->putData(ParserData, MakeBodyLimitParser(getMaxRequestSize(), bodies_, parser_refusal));
  else
    peer->putData(ParserData,
                  std::make_shared<RawHeadersParser>(getMaxRequestSize(), parser_refusal));
  auto slot = std::make_shared<ConnectionSlot>(open_);
  peer->putData(kSlotData, slot);
  if (*open_ <= limits_.max_connections) return;
  // Over the limit: answer and shut the socket down. Pistache then sees end-of-file as
  // for any client that hangs up, and drops the peer (and its slot) itself.
  static const std::string answer = OverCapacityResponse();
  (void)::send(peer->fd(), answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(peer->fd(), SHUT_RDWR);
}

void DoorHandler::onDisconnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) {
  next_->onDisconnection(peer);
}

void DoorHandler::onRequest(const Pistache::Http::Request& request,
                            Pistache::Http::ResponseWriter response) {
  if (const size_t target = TargetBytes(request); target > limits_.max_target_bytes) {
    refuse_(request, std::move(response),
            TooLargeReply(Status::TooLarge("request target exceeds " +
                                           std::to_string(limits_.max_target_bytes) + " bytes"),
                          RequestPart::kTarget));
    return;
  }
  if (!TargetIsPrintableAscii(request)) {
    // RFC 3986 allows only these in a URI; other bytes must come percent-encoded. Raw
    // ones would otherwise reach a path parameter, a raw query value or an audit entry
    // as bytes the database refuses as text (a 500 instead of this 400).
    refuse_(request, std::move(response),
            ErrorReply(Status::InvalidArgument(
                "request target must be printable ASCII; percent-encode other bytes")));
    return;
  }
  size_t count = 0;
  const size_t bytes = HeaderBytes(request, &count);
  if (bytes > limits_.max_header_bytes || count > kMaxHeaders) {
    refuse_(request, std::move(response),
            TooLargeReply(Status::TooLarge("header fields exceed " +
                                           std::to_string(limits_.max_header_bytes) + " bytes or " +
                                           std::to_string(kMaxHeaders) + " fields"),
                          RequestPart::kHeaders));
    return;
  }
  next_->onRequest(request, std::move(response));
}

}  // namespace telerad::api
