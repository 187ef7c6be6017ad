#include "api/json_etag.h"

#include <algorithm>

#include "src/base/content_digest.h"

namespace telerad::api {
namespace {

bool HasHeader(const Reply& reply, std::string_view name) {
  return std::any_of(reply.headers.begin(), reply.headers.end(), [&](const auto& header) {
    return header.first.size() == name.size() &&
           std::equal(name.begin(), name.end(), header.first.begin(),
                      [](char a, char b) { return (a | 0x20) == (b | 0x20); });
  });
}

// If-None-Match compares weakly (RFC 9110 13.1.2): W/"x" matches "x" and W/"x".
bool Names(std::string_view if_none_match, std::string_view etag) {
  const std::string_view opaque = etag.substr(2);  // etag is W/"…"
  size_t at = 0;
  while (at < if_none_match.size()) {
    size_t comma = if_none_match.find(',', at);
    if (comma == std::string_view::npos) comma = if_none_match.size();
    std::string_view tag = if_none_match.substr(at, comma - at);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag == "*") return true;
    if (tag.size() > 2 && tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == opaque) return true;
    at = comma + 1;
  }
  return false;
}

}  // namespace

std::string BodyEtag(std::string_view body) { return "W/\"" + ContentDigestHex(body) + "\""; }

void AnswerConditionally(Reply& reply, std::string_view if_none_match) {
  if (reply.status != 200 || !reply.pieces.empty() || HasHeader(reply, "ETag") ||
      reply.content_type.rfind("application/json", 0) != 0)
    return;
  std::string etag = BodyEtag(reply.body);
  if (!if_none_match.empty() && Names(if_none_match, etag)) {
    reply.status = 304;
    reply.body.clear();
  }
  reply.headers.emplace_back("ETag", std::move(etag));
}

}  // namespace telerad::api
