#include "api/request_headers.h"

#include <optional>
#include <string>

#include "api/accept_header.h"
#include "api/media_type.h"

namespace telerad::api {
namespace {

std::optional<std::string> RawField(const Pistache::Http::Request& request, const char* name) {
  if (auto raw = request.headers().tryGetRaw(name)) return raw->value();
  return std::nullopt;
}

}  // namespace

Status CheckRequestHeaders(const Pistache::Http::Request& request) {
  if (auto accept = RawField(request, "Accept")) {
    // Its messages name the field: "Accept: q must be a number from 0 to 1".
    if (auto ranges = ParseAccept(*accept); !ranges.ok()) return ranges.status();
  }
  if (auto content_type = RawField(request, "Content-Type")) {
    if (auto media = ParseMediaType(*content_type); !media.ok())
      return Status::UnsupportedMediaType("Content-Type: " + media.status().message());
  }
  return Status::Ok();
}

}  // namespace telerad::api
