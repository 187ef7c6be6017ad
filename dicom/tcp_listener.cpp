#include "dicom/tcp_listener.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace telerad::dicom {
namespace {

// The kernel's queue of connections not yet accepted; Linux caps it at somaxconn.
constexpr int kBacklog = 128;

}  // namespace

TcpListener::~TcpListener() { Close(); }

Status TcpListener::Open(int port) {
  Close();
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Unavailable(std::string("socket: ") + std::strerror(errno));
  int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(fd, kBacklog) != 0) {
    const int err = errno;
    ::close(fd);
    return Status::Unavailable(std::string(std::strerror(err)));
  }
  fd_ = fd;
  return Status::Ok();
}

TcpListener::Accepted TcpListener::Accept() {
  Accepted out;
  if (fd_ < 0) return out;
  sockaddr_in addr{};
  socklen_t len = sizeof(addr);
  // accept4 does not pass O_NONBLOCK on: the new socket blocks, as DCMTK expects.
  const int fd = ::accept4(fd_, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_CLOEXEC);
  if (fd < 0) return out;  // none waiting, or it went away (ECONNABORTED), or EMFILE
  char ip[INET_ADDRSTRLEN] = "";
  ::inet_ntop(AF_INET, &addr.sin_addr, ip, sizeof(ip));
  out.fd = fd;
  out.peer = ip;
  return out;
}

void TcpListener::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace telerad::dicom
