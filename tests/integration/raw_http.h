// Raw HTTP over a socket for tests that must see exactly what goes over the wire:
// pipelined requests, HEAD, a client that never reads, response headers as sent.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <string>

namespace telerad::testing {

// A TCP connection to 127.0.0.1:`port`; `receive_buffer` > 0 shrinks the socket's
// receive buffer before connecting (a slow client's window). -1 on failure.
inline int RawConnect(int port, int timeout_s = 20, int receive_buffer = 0) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval tv{timeout_s, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  if (receive_buffer > 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof(receive_buffer));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline bool RawSend(int fd, const std::string& bytes) {
  for (size_t sent = 0; sent < bytes.size();) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// Everything the peer sends until it closes, resets or times out.
inline std::string RawReadAll(int fd) {
  std::string in;
  char buf[65536];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof(buf), 0)) > 0;)
    in.append(buf, static_cast<size_t>(n));
  return in;
}

struct ParsedResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
  bool complete = false;  // the whole Content-Length arrived
};

// Parses one response from the front of `in` (whose body is Content-Length bytes, none
// for HEAD or 304 when `no_body`) and removes it from `in`.
inline ParsedResponse TakeResponse(std::string& in, bool no_body = false) {
  ParsedResponse r;
  const size_t end = in.find("\r\n\r\n");
  if (end == std::string::npos || in.rfind("HTTP/1.", 0) != 0) return r;
  r.status = std::atoi(in.c_str() + 9);
  size_t line = in.find("\r\n") + 2;
  while (line < end) {
    const size_t next = in.find("\r\n", line);
    const std::string field = in.substr(line, next - line);
    const size_t colon = field.find(':');
    if (colon != std::string::npos) {
      std::string name = field.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), ::tolower);
      size_t value = colon + 1;
      while (value < field.size() && field[value] == ' ') ++value;
      r.headers[name] = field.substr(value);
    }
    line = next + 2;
  }
  size_t length = 0;
  if (!no_body && r.headers.count("content-length"))
    length = std::strtoull(r.headers["content-length"].c_str(), nullptr, 10);
  r.complete = in.size() >= end + 4 + length;
  r.body = in.substr(end + 4, std::min(length, in.size() - end - 4));
  in.erase(0, std::min(in.size(), end + 4 + length));
  return r;
}

// One request on a new connection (the request should say Connection: close).
inline ParsedResponse RawExchange(int port, const std::string& request, bool no_body = false) {
  const int fd = RawConnect(port);
  if (fd < 0) return {};
  RawSend(fd, request);
  std::string in = RawReadAll(fd);
  ::close(fd);
  return TakeResponse(in, no_body);
}

}  // namespace telerad::testing
