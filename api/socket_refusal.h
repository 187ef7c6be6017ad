// Refusals decided while a request is still being parsed (its header fields, its body's
// size), before Pistache has a ResponseWriter for it. The request's framing cannot be
// trusted, or its body is not wanted, so the connection ends with the answer.
//
// AnswerAndClose writes the answer straight to the socket and shuts it down: Pistache
// sees end-of-file as for any client that hangs up and drops the peer itself; whatever
// the client still sends is never parsed. That is right only while nothing else is
// written to the connection: once an earlier request of it has been handed to the
// workers, its answer may still be on the way, and the refusal must follow it (the
// server's ParserRefusal does: door_handler.h).
#pragma once

#include <functional>

#include "api/reply.h"

namespace telerad::api {

// `status_line`: e.g. "400 Bad Request". `retry_after`: adds "Retry-After: 1".
void AnswerAndClose(int fd, const Reply& reply, const char* status_line, bool retry_after = false);

// How a connection's parser answers a refusal (on the connection's reactor thread);
// `reply.status` and `status_line` say the same status.
using ParserRefusal =
    std::function<void(const Reply& reply, const char* status_line, bool retry_after)>;

// AnswerAndClose on `fd`: for a connection on which nothing else is ever answered.
ParserRefusal RefuseOnSocket(int fd);

}  // namespace telerad::api
