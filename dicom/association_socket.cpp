#include "dicom/association_socket.h"

#include <dcmtk/dcmnet/dcmtrans.h>
#include <dcmtk/dcmnet/dul.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>

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

namespace telerad::dicom {
namespace {

// Guards dcmExternalSocketHandle, which DCMTK reads while a network is created and
// while an acceptor receives an association.
std::mutex& ExternalSocketMutex() {
  static std::mutex mu;
  return mu;
}

// Sets the global for one call and always puts "none" back.
class ExternalSocket {
 public:
  explicit ExternalSocket(int fd) : lock_(ExternalSocketMutex()) {
    dcmExternalSocketHandle.set(fd);
  }
  ~ExternalSocket() { dcmExternalSocketHandle.set(-1); }

 private:
  std::lock_guard<std::mutex> lock_;
};

}  // namespace

OFCondition InitializeAcceptorNetwork(int acse_timeout_s, T_ASC_Network** network) {
  // Any valid descriptor tells DCMTK the listening socket exists elsewhere; it is not
  // used (nor closed: ASC_dropNetwork closes the key's own, which stays -1).
  ExternalSocket external(STDERR_FILENO);
  return ASC_initializeNetwork(NET_ACCEPTOR, 0, acse_timeout_s, network);
}

OFCondition ReceiveAssociationOn(T_ASC_Network* network, int fd, int max_pdu,
                                 T_ASC_Association** assoc) {
  *assoc = nullptr;
  OFCondition cond = EC_Normal;
  {
    ExternalSocket external(fd);
    // The timeout only matters for a listening socket, which there is none of.
    cond =
        ASC_receiveAssociation(network, assoc, max_pdu, nullptr, nullptr, OFFalse, DUL_NOBLOCK, 1);
  }
  // Once DCMTK has wrapped the socket in the association's connection, dropping the
  // association closes it; if it failed before (getpeername: the peer has already gone)
  // the socket is still ours. (Its one other early failure, no connection object for a
  // plain TCP socket, cannot happen: DCMTK makes one unless TLS is asked for.)
  if (cond.bad() && AssociationSocket(*assoc) != fd) ::close(fd);
  return cond;
}

}  // namespace telerad::dicom
