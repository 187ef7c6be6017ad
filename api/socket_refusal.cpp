#include "api/socket_refusal.h"

#include <sys/socket.h>

#include <string>

namespace telerad::api {

void AnswerAndClose(int fd, const Reply& reply, const char* status_line, bool retry_after) {
  const std::string answer =
      std::string("HTTP/1.1 ") + status_line + "\r\nContent-Type: " + reply.content_type +
      "\r\nContent-Length: " + std::to_string(reply.body.size()) +
      (retry_after ? "\r\nRetry-After: 1" : "") + "\r\nConnection: close\r\n\r\n" + reply.body;
  // Never blocks a reactor thread: an answer that does not fit the socket's buffer at
  // once is cut, and the client sees the connection close.
  (void)::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(fd, SHUT_RDWR);
}

ParserRefusal RefuseOnSocket(int fd) {
  return [fd](const Reply& reply, const char* status_line, bool retry_after) {
    AnswerAndClose(fd, reply, status_line, retry_after);
  };
}

}  // namespace telerad::api
