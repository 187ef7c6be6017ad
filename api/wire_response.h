// WireResponse: a Reply serialised for the socket: the status line and headers written
// by telerad itself (not by Pistache, whose writer busy-loops on a slow client; see
// response_sender.h), then the body as pieces. Also decides whether the connection stays
// open after the response (HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with
// "Connection: keep-alive").
#pragma once

#include <deque>
#include <string>

#include "api/body_piece.h"
#include "api/reply.h"

namespace telerad::api {

struct WireRequest {
  bool http10 = false;
  bool head = false;  // HEAD: the headers of the GET answer, no body
  // The request's Connection header asked for close (or, for HTTP/1.0, for keep-alive).
  bool connection_close = false;
  bool connection_keep_alive = false;
};

struct WireResponse {
  std::deque<BodyPiece> pieces;  // the head first, then the body
  size_t sent_of_front = 0;      // bytes of pieces.front() already written
  bool close_after = false;      // shut the connection down once it is written
  int status = 0;

  size_t memory_bytes() const;  // bytes held in memory (file slices excluded)
  bool done() const { return pieces.empty(); }
};

bool KeepAlive(const WireRequest& request);
// REQUIRES: reply.status is a valid HTTP status code.
WireResponse Serialise(Reply reply, const WireRequest& request);

}  // namespace telerad::api
