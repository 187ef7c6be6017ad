// Answers a request on its socket before Pistache has a ResponseWriter for it, then shuts
// the socket down: for refusals decided while the request is still being parsed (its
// header fields, its body's size). Pistache sees end-of-file as for any client that hangs
// up and drops the peer itself; whatever the client still sends is never parsed.
#pragma once

#include "api/reply.h"

namespace telerad::api {

// `status_line`: e.g. "400 Bad Request". `retry_after`: adds "Retry-After: 1".
void AnswerAndClose(int fd, const Reply& reply, const char* status_line, bool retry_after = false);

}  // namespace telerad::api
