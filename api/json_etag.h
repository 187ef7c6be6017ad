// Conditional GETs of the API's JSON answers (RFC 9110 8.8.3, 13.1.2): a page that polls
// (the worklist every 20 s, the inbox) sends the ETag it last saw in If-None-Match and
// gets a bodiless 304 while nothing changed, which on a rural link is most of the bytes.
// The answers stay `Cache-Control: no-store` (patient data never lands in a browser's
// disk cache): the page keeps the last body in memory and asks conditionally itself.
#pragma once

#include <string>
#include <string_view>

#include "api/reply.h"

namespace telerad::api {

// A weak validator of the body's bytes (BLAKE2b-128): equal bodies, equal tags.
std::string BodyEtag(std::string_view body);

// For a 200 JSON answer without a validator of its own: adds the body's ETag, and turns
// the answer into a 304 without a body when `if_none_match` (the raw header, a list of
// tags or *) names it. Other answers are left as they are.
void AnswerConditionally(Reply& reply, std::string_view if_none_match);

}  // namespace telerad::api
