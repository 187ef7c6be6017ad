// Whether a facility's AE title may be used from where an association came (issue 12):
// its peer address against the facility's allowed networks, and over DICOM TLS its
// client certificate against the one registered for the facility. A calling AE title
// alone is a claim anyone can make; these tie it to a network and to a key.
#pragma once

#include <string>

#include "src/base/model.h"
#include "src/base/status.h"

namespace telerad {

struct SenderOrigin {
  std::string peer_address;  // numeric IPv4 or IPv6
  bool tls = false;          // the association came over DICOM TLS
  // SHA-256 of the DER client certificate, 64 lower-case hex digits; TLS only.
  std::string client_sha256;
};

enum class OriginVerdict {
  kAllowed,
  kOutsideNetworks,     // the peer is outside every allowed network
  kTlsRequired,         // the facility must use TLS, the association is plain
  kNoCertificate,       // over TLS, the facility has no certificate registered
  kAnotherCertificate,  // over TLS, the client's certificate is not the facility's
};

// Whether `facility` may send from `origin`; the network is checked first.
OriginVerdict CheckSenderOrigin(const Facility& facility, const SenderOrigin& origin);

// OK for kAllowed, else kPermissionDenied saying why (no patient data, nothing secret).
Status ToStatus(OriginVerdict verdict);

}  // namespace telerad
