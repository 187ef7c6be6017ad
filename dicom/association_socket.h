// The TCP socket under a DCMTK association, for socket options and for cutting a
// connection at shutdown. DCMTK 3.6.7 keeps DcmTransportConnection::getSocket()
// protected; this is the one place that reaches it.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmnet/dcmtrans.h>

#include <memory>

namespace telerad::dicom {

// The socket descriptor, or -1 if the association has no connection.
int AssociationSocket(T_ASC_Association* assoc);

// Sets TCP_NODELAY on the association's socket (no-op without one).
void DisableNagle(T_ASC_Association* assoc);

// Makes every blocking read or write on the association's socket give up after
// `seconds`. DCMTK 3.6.7 honours its DIMSE timeout only between PDUs: once a PDU header
// has arrived it reads the body with a blocking read() (dulfsm.cc, DT_2_IndicatePData),
// so a peer that stalls mid-PDU would hold the worker forever without this.
void SetIoTimeouts(T_ASC_Association* assoc, int seconds);

// An acceptor network that opens no listening socket of its own: telerad accepts TCP
// connections itself (TcpListener) and hands each to ReceiveAssociationOn() once its
// request is buffered, because DCMTK's ASC_receiveAssociation() would read the request
// on the accepting thread and let one silent peer hold every other one up.
OFCondition InitializeAcceptorNetwork(int acse_timeout_s, T_ASC_Network** network);

// Has DCMTK read the association request on `fd` (a connected socket whose whole
// A-ASSOCIATE-RQ is already buffered, so no read waits for the peer), or, for DICOM TLS,
// from `prepared` (the connection on `fd` whose handshake and request were read
// already: PrimedTlsConnection). On success *assoc owns `fd` (and `prepared`). On failure `fd` is
// closed and *assoc, if not null, is to be dropped and destroyed by the caller. Serialised
// process-wide: DCMTK passes the socket through a global (dcmExternalSocketHandle, the mechanism of
// storescp's inetd mode).
OFCondition ReceiveAssociationOn(T_ASC_Network* network, int fd, int max_pdu,
                                 T_ASC_Association** assoc,
                                 std::unique_ptr<DcmTransportConnection> prepared = nullptr);

}  // namespace telerad::dicom
