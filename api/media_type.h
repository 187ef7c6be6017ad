// A media type with its parameters, as Content-Type and Accept carry them (RFC 9110
// 8.3.1 and 5.6.6): `type/subtype *( OWS ";" OWS name "=" ( token / quoted-string ) )`.
// DICOMweb clients write parameter values both quoted and bare (OHIF sends
// `multipart/related; type=application/octet-stream; transfer-syntax=*`, dicomweb-client
// sometimes `type="application/dicom"`), so both are read the same way, and a bare value
// may hold '/' (not a token character, but what those clients send).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/base/status.h"

namespace telerad::api {

struct MediaType {
  std::string type;     // lower-case, e.g. "multipart"; "*" in an Accept range
  std::string subtype;  // lower-case, e.g. "related"; "*" in an Accept range
  // In order of appearance; names lower-case, values unquoted (quoted-pairs resolved)
  // and otherwise as written (a boundary is case-sensitive).
  std::vector<std::pair<std::string, std::string>> params;

  std::string Essence() const { return type + "/" + subtype; }  // "multipart/related"
  // The first parameter of that (lower-case) name.
  std::optional<std::string> Param(std::string_view name) const;
};

// Parses one media type (a Content-Type value, or one element of an Accept list with
// its `q` among the parameters). kInvalidArgument when it does not follow the grammar.
Result<MediaType> ParseMediaType(std::string_view text);

// Splits a comma-separated header value at the commas that are outside quoted strings.
std::vector<std::string_view> SplitHeaderList(std::string_view value);

// `value` as a token when it is one, else as a quoted-string (for writing parameters).
std::string QuoteIfNeeded(std::string_view value);

}  // namespace telerad::api
