#include "dicom/association_socket.h"

#include <dcmtk/dcmnet/dcmtrans.h>
#include <dcmtk/dcmnet/dul.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace telerad::dicom {
namespace {

// A derived class may name its base's protected member; the resulting pointer to
// member of the base can then be applied to any base object (C++17 [class.protected]).
struct SocketAccess : DcmTransportConnection {
  static constexpr auto kGetSocket = &SocketAccess::getSocket;
};

}  // namespace

int AssociationSocket(T_ASC_Association* assoc) {
  if (!assoc || !assoc->DULassociation) return -1;
  DcmTransportConnection* conn = DUL_getTransportConnection(assoc->DULassociation);
  return conn ? static_cast<int>((conn->*SocketAccess::kGetSocket)()) : -1;
}

void DisableNagle(T_ASC_Association* assoc) {
  int fd = AssociationSocket(assoc);
  if (fd < 0) return;
  int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}

}  // namespace telerad::dicom

namespace telerad::dicom {

void SetIoTimeouts(T_ASC_Association* assoc, int seconds) {
  int fd = AssociationSocket(assoc);
  if (fd < 0) return;
  timeval tv{};
  tv.tv_sec = seconds;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

}  // namespace telerad::dicom
