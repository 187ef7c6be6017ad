// The TCP socket under a DCMTK association, for socket options and for cutting a
// connection at shutdown. DCMTK 3.6.7 keeps DcmTransportConnection::getSocket()
// protected; this is the one place that reaches it.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/assoc.h>

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

}  // namespace telerad::dicom
