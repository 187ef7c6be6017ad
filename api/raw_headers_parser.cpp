#include "api/raw_headers_parser.h"

#include <pistache/cookie.h>
#include <pistache/http_headers.h>
#include <pistache/stream.h>
#include <strings.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

#include "api/http_error.h"
#include "api/socket_refusal.h"
#include "src/base/logging.h"

namespace telerad::api {
namespace {

using Pistache::StreamCursor;
using Pistache::Http::Request;
using Pistache::Http::Private::HeadersStep;
using Pistache::Http::Private::State;
using Pistache::Http::Private::Step;
using Pistache::Http::Private::StepId;

// The fields Pistache reads from a request in their typed form (see the header).
constexpr const char* kTypedFields[] = {"Content-Length", "Transfer-Encoding", "Connection"};

// The name=value pairs of a Cookie field (RFC 6265 5.4), read leniently: a pair without
// a name or '=' is skipped, not refused. Pistache's own reader throws on one, and a
// browser may hold such a cookie from another page of the same host (document.cookie =
// "x"): refusing would lock its user out of every page until the cookie is cleared.
void AddCookies(Request& request, std::string_view field) {
  while (!field.empty()) {
    const size_t end = std::min(field.find(';'), field.size());
    std::string_view pair = field.substr(0, end);
    field.remove_prefix(std::min(end + 1, field.size()));
    while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
    while (!pair.empty() && (pair.back() == ' ' || pair.back() == '\t')) pair.remove_suffix(1);
    const size_t equals = pair.find('=');
    if (equals == 0 || equals == std::string_view::npos) continue;
    std::string_view cookie_value = pair.substr(equals + 1);
    if (cookie_value.size() >= 2 && cookie_value.front() == '"' && cookie_value.back() == '"')
      cookie_value = cookie_value.substr(1, cookie_value.size() - 2);
    request.cookies().add(
        Pistache::Http::Cookie(std::string(pair.substr(0, equals)), std::string(cookie_value)));
  }
}

const char* TypedFieldName(const std::string& name) {
  for (const char* field : kTypedFields)
    if (::strcasecmp(name.c_str(), field) == 0) return field;
  return nullptr;
}

// RFC 9112 6.3 and RFC 9110 8.6: Content-Length = 1*DIGIT (Pistache's own parse takes
// "12abc" as 12 and "abc" as 0).
bool IsDecimal(const std::string& value) {
  const size_t end = value.find_last_not_of(" \t");
  if (end == std::string::npos) return false;
  return std::all_of(value.begin(), value.begin() + static_cast<std::ptrdiff_t>(end) + 1,
                     [](char c) { return c >= '0' && c <= '9'; });
}

class RawHeadersStep : public Step {
 public:
  RawHeadersStep(Request* request, ParserRefusal refuse)
      : Step(request), refuse_(std::move(refuse)) {}

  StepId id() const override { return HeadersStep::Id; }

  // Pistache's HeadersStep::apply (pistache@0.0.5:src/common/http.cc) line for line, but
  // for what is stored (Keep).
  State apply(StreamCursor& cursor) override {
    if (refused_) return State::Again;  // nothing more of this connection is parsed
    StreamCursor::Revert revert(cursor);
    while (!cursor.eol()) {
      StreamCursor::Revert field_revert(cursor);
      size_t start = cursor;
      while (cursor.current() != ':')
        if (!cursor.advance(1)) return State::Again;
      if (!cursor.advance(1)) return State::Again;  // the ':'
      std::string name(cursor.offset(start), cursor.diff(start) - 1);
      while (cursor.current() == ' ')
        if (!cursor.advance(1)) return State::Again;
      start = cursor;
      while (!cursor.eol())
        if (!cursor.advance(1)) return State::Again;
      std::string value(cursor.offset(start), cursor.diff(start));
      if (const char* refused = Keep(std::move(name), std::move(value))) return Refuse(refused);
      if (!cursor.advance(2)) return State::Again;  // CRLF
      field_revert.ignore();
    }
    if (!cursor.advance(2)) return State::Again;
    revert.ignore();
    return State::Next;
  }

 private:
  // Stores one field; the name of the field refused instead, or nullptr.
  const char* Keep(std::string name, std::string value) {
    auto& request = *static_cast<Request*>(message);
    try {
      if (::strcasecmp(name.c_str(), "Cookie") == 0) {
        // As Pistache: a repeated Cookie field replaces the cookies of the one before.
        request.cookies().removeAllCookies();
        AddCookies(request, value);
      } else if (const char* typed = TypedFieldName(name)) {
        if (::strcasecmp(typed, "Content-Length") == 0 && !IsDecimal(value)) return typed;
        std::shared_ptr<Pistache::Http::Header::Header> header =
            Pistache::Http::Header::Registry::instance().makeHeader(typed);
        header->parseRaw(value.data(), value.size());
        request.headers().add(header);
      }
    } catch (const std::exception&) {
      return TypedFieldName(name) != nullptr ? TypedFieldName(name) : "Cookie";
    }
    request.headers().addRaw(Pistache::Http::Header::Raw(std::move(name), std::move(value)));
    return nullptr;
  }

  State Refuse(const char* field) {
    refused_ = true;
    refuse_(ErrorReply(Status::InvalidArgument(std::string("the ") + field +
                                               " header field is malformed")),
            "400 Bad Request", false);
    ApiLog().info("event=http_header_refused field={}", field);
    return State::Again;
  }

  ParserRefusal refuse_;
  bool refused_ = false;
};

}  // namespace

RawHeadersParser::RawHeadersParser(size_t max_request_size, ParserRefusal refuse)
    : Pistache::Http::RequestParser(max_request_size) {
  allSteps[1] = std::make_unique<RawHeadersStep>(&request, std::move(refuse));
}

}  // namespace telerad::api
