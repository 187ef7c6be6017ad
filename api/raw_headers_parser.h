// RawHeadersParser: Pistache's request parser with its header step replaced, so that a
// header field telerad reads itself never gets Pistache's own plain-text error.
//
// Pistache 0.0.5 parses the fields its Registry knows (Accept, Content-Type, Host,
// Authorization, Cache-Control, ...) while it reads the request, and answers one it
// cannot parse with a plain-text 415 (a media type: pistache@0.0.5:src/common/mime.cc) or
// 500 (any other exception) before any handler runs (src/common/http.cc,
// HeadersStep::apply and Handler::onInput). The Registry cannot be told to forget a field:
// it offers registerHeader, makeHeader and isRegistered only, its map is private
// (include/pistache/http_headers.h). The parser's three steps are virtual and its own,
// though, so this parser's header step does what Pistache's does with one difference:
// every field is kept raw (as Pistache keeps them too), and only the three that Pistache
// itself reads from a request are also parsed into their typed form: Content-Length and
// Transfer-Encoding (its body step) and Connection (Handler::onInput). Accept and
// Content-Type are read by telerad's own parsers (accept_header.h, media_type.h; the
// checks in request_headers.h), which answer the API's JSON errors.
//
// A Content-Length that is not a decimal number (RFC 9112 6.3: an unrecoverable error),
// or one of those three fields or a Cookie that Pistache's parser throws on, is answered
// here: the API's JSON 400, and the connection closed after it (socket_refusal.h), as
// the request's framing cannot be trusted.
#pragma once

#include <pistache/http.h>

#include <cstddef>

#include "api/socket_refusal.h"

namespace telerad::api {

class RawHeadersParser : public Pistache::Http::RequestParser {
 public:
  // `refuse`: how a refused request is answered.
  RawHeadersParser(size_t max_request_size, ParserRefusal refuse);
};

}  // namespace telerad::api
