#include "api/wire_response.h"

#include <pistache/http_defs.h>

#include <algorithm>
#include <cctype>
#include <utility>

namespace telerad::api {
namespace {

bool HasHeader(const Reply& reply, std::string_view name) {
  for (const auto& header : reply.headers)
    if (header.first.size() == name.size() &&
        std::equal(name.begin(), name.end(), header.first.begin(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
      return true;
  return false;
}

}  // namespace

size_t WireResponse::memory_bytes() const {
  size_t bytes = 0;
  for (const BodyPiece& piece : pieces)
    if (!piece.is_file()) bytes += piece.bytes.size();
  return bytes;
}

bool KeepAlive(const WireRequest& request) {
  return request.http10 ? request.connection_keep_alive : !request.connection_close;
}

WireResponse Serialise(Reply reply, const WireRequest& request) {
  WireResponse wire;
  wire.status = reply.status;
  wire.close_after = !KeepAlive(request);
  const size_t length = reply.body_size();
  std::string head;
  head.reserve(256);
  head += request.http10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  head += std::to_string(reply.status);
  head += ' ';
  head += Pistache::Http::codeString(static_cast<Pistache::Http::Code>(reply.status));
  head += "\r\nContent-Type: " + reply.content_type;
  // A 304 must not carry a Content-Length other than the 200's (RFC 9110 8.6), nor a 204
  // any; neither has a body.
  if (reply.status != 304 && reply.status != 204)
    head += "\r\nContent-Length: " + std::to_string(length);
  head += wire.close_after ? "\r\nConnection: close" : "\r\nConnection: keep-alive";
  if (!HasHeader(reply, "Cache-Control")) head += "\r\nCache-Control: no-store";
  head += "\r\nX-Content-Type-Options: nosniff";
  for (const auto& [name, value] : reply.headers) head += "\r\n" + name + ": " + value;
  head += "\r\n\r\n";
  // A small body goes out with the head in one send; a large one is moved, not copied.
  constexpr size_t kCopiedBody = 16 * 1024;
  const bool body_apart = reply.body.size() > kCopiedBody;
  if (!request.head && !body_apart) head += reply.body;
  wire.pieces.push_back(BodyPiece::Bytes(std::move(head)));
  if (!request.head && body_apart) wire.pieces.push_back(BodyPiece::Bytes(std::move(reply.body)));
  if (!request.head)
    for (BodyPiece& piece : reply.pieces)
      if (piece.size() > 0) wire.pieces.push_back(std::move(piece));
  return wire;
}

}  // namespace telerad::api
