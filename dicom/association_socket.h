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

}  // namespace telerad::dicom
