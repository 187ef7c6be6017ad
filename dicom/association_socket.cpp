#include "dicom/association_socket.h"

#include <dcmtk/dcmnet/dcmlayer.h>
#include <dcmtk/dcmnet/dcmtrans.h>
#include <dcmtk/dcmnet/dul.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
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

// The acceptor network's transport layer. DCMTK asks it for the connection object of
// each received socket; for a DICOM TLS connection that is the one whose handshake and
// request telerad has read already (set for the duration of one receive, under
// ExternalSocketMutex), otherwise a plain TCP connection as DCMTK's own layer makes.
class HandoverTransportLayer : public DcmTransportLayer {
 public:
  DcmTransportConnection* createConnection(DcmNativeSocketType socket,
                                           OFBool use_secure_layer) override {
    if (prepared_) return prepared_.release();
    if (use_secure_layer) return nullptr;  // TLS without a prepared session: refuse
    return DcmTransportLayer::createConnection(socket, OFFalse);
  }
  std::unique_ptr<DcmTransportConnection> prepared_;  // GUARDED_BY(ExternalSocketMutex())
};

HandoverTransportLayer& HandoverLayer() {
  static HandoverTransportLayer* layer = new HandoverTransportLayer();  // lives as long as DCMTK
  return *layer;
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
  OFCondition cond = ASC_initializeNetwork(NET_ACCEPTOR, 0, acse_timeout_s, network);
  if (cond.good()) cond = ASC_setTransportLayer(*network, &HandoverLayer(), 0);
  return cond;
}

OFCondition ReceiveAssociationOn(T_ASC_Network* network, int fd, int max_pdu,
                                 T_ASC_Association** assoc,
                                 std::unique_ptr<DcmTransportConnection> prepared) {
  *assoc = nullptr;
  OFCondition cond = EC_Normal;
  const bool secure = prepared != nullptr;
  {
    ExternalSocket external(fd);
    HandoverLayer().prepared_ = std::move(prepared);
    // The timeout only matters for a listening socket, which there is none of.
    cond =
        ASC_receiveAssociation(network, assoc, max_pdu, nullptr, nullptr, secure, DUL_NOBLOCK, 1);
    // Not taken (the peer went before DCMTK asked for it): dropping it closes `fd`.
    if (HandoverLayer().prepared_) {
      HandoverLayer().prepared_.reset();
      return cond.bad() ? cond : makeOFCondition(OFM_dcmnet, 0x1001, OF_error, "not received");
    }
  }
  // Once DCMTK has wrapped the socket in the association's connection, dropping the
  // association closes it; if it failed before (getpeername: the peer has already gone)
  // the socket is still ours. (Its one other early failure, no connection object for a
  // plain TCP socket, cannot happen: DCMTK makes one unless TLS is asked for.)
  if (cond.bad() && AssociationSocket(*assoc) != fd) ::close(fd);
  return cond;
}

}  // namespace telerad::dicom
