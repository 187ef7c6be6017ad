#include "dicom/socket_receive_counters.h"

// glibc's <netinet/tcp.h> has a struct tcp_info without tcpi_bytes_received; the kernel's
// header has it (and the two cannot be included together).
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstddef>

namespace telerad::dicom {

std::optional<ReceiveCounters> ReadReceiveCounters(int fd) {
  if (fd < 0) return std::nullopt;
  tcp_info info{};
  socklen_t length = sizeof(info);
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0 ||
      length < offsetof(tcp_info, tcpi_bytes_received) + sizeof(info.tcpi_bytes_received))
    return std::nullopt;
  int unread = 0;
  if (::ioctl(fd, FIONREAD, &unread) != 0 || unread < 0) return std::nullopt;
  return ReceiveCounters{info.tcpi_bytes_received, static_cast<uint64_t>(unread)};
}

}  // namespace telerad::dicom
