// Reading URL query parameters with the API's 400 answers.
#pragma once

#include <pistache/router.h>

#include <optional>
#include <string>

#include "api/reply.h"

namespace telerad::api {

// A query value as text: Pistache 0.0.5 hands query values over still percent-encoded.
// '+' is a space. nullopt for a broken escape or bytes that are not UTF-8.
std::optional<std::string> PercentDecode(const std::string& in);

// `name` percent-decoded (UTF-8, e.g. an aimag in Cyrillic), if present; 400 when the
// escape is broken or the bytes are not UTF-8.
std::optional<Reply> TextParam(const Pistache::Rest::Request& req, const char* name,
                               std::string& out);

// `name` as "YYYY-MM-DD" or an RFC 3339 time, if present.
std::optional<Reply> TimeParam(const Pistache::Rest::Request& req, const char* name,
                               std::optional<TimePoint>& out);

// "limit" as an integer, if present (the service checks its range).
std::optional<Reply> LimitParam(const Pistache::Rest::Request& req, int& out);

}  // namespace telerad::api
