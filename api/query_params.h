// Reading the URL: path parameters, and query parameters with kInvalidArgument (400) for
// a value that cannot be read. Each query reader leaves `out` unchanged when the
// parameter is absent.
#pragma once

#include <pistache/router.h>

#include <optional>
#include <string>
#include <string_view>

#include "src/base/model.h"
#include "src/base/status.h"

namespace telerad::api {

// Whether `s` is well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code
// points past U+10FFFF) without NUL.
bool IsUtf8(std::string_view s);

// A query value as text: Pistache 0.0.5 hands query values over still percent-encoded.
// '+' is a space. nullopt for a broken escape or bytes that are not UTF-8.
std::optional<std::string> PercentDecode(const std::string& in);

// The path parameter `name` (e.g. ":study_uid") as Pistache matched it.
std::string PathParam(const Pistache::Rest::Request& req, const char* name);

// `name` percent-decoded (UTF-8, e.g. an aimag in Cyrillic); kInvalidArgument when the
// escape is broken or the bytes are not UTF-8.
Status TextParam(const Pistache::Rest::Request& req, const char* name, std::string& out);

// `name` percent-decoded as TextParam does, for an optional filter; `message` is the
// kInvalidArgument message when it cannot be decoded.
Status TextParam(const Pistache::Rest::Request& req, const char* name,
                 std::optional<std::string>& out, const char* message);

// `name` as "YYYY-MM-DD" or an RFC 3339 time, if present.
Status TimeParam(const Pistache::Rest::Request& req, const char* name,
                 std::optional<TimePoint>& out);

// "limit" as an integer, if present (the service checks its range).
Status LimitParam(const Pistache::Rest::Request& req, int& out);

}  // namespace telerad::api
