// The request header fields every route depends on, checked before any route runs. The
// parser keeps them raw (raw_headers_parser.h), so a malformed one gets the API's JSON
// error here rather than Pistache's plain text:
//   Accept       that is no list of media ranges (accept_header.h)   400 "invalid_argument"
//   Content-Type that is no media type (media_type.h)                 415 "unsupported_media_type"
// A well-formed value that a route cannot serve is the route's to refuse (406, 415).
#pragma once

#include <pistache/http.h>

#include "src/base/status.h"

namespace telerad::api {

// kInvalidArgument when the Accept field is malformed, kUnsupportedMediaType when the
// Content-Type is. The message names the field and what is wrong, never the value (it
// is the client's own).
Status CheckRequestHeaders(const Pistache::Http::Request& request);

}  // namespace telerad::api
