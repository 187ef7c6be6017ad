#include "src/ingest/sender_origin.h"

#include "src/base/ip_network.h"

namespace telerad {
namespace {

bool InAllowedNetwork(const std::vector<std::string>& networks, const std::string& peer) {
  for (const std::string& text : networks) {
    // The registry holds only validated networks; one that no longer parses admits no one.
    auto network = ParseIpNetwork(text);
    if (network.ok() && Contains(*network, peer)) return true;
  }
  return false;
}

}  // namespace

OriginVerdict CheckSenderOrigin(const Facility& facility, const SenderOrigin& origin) {
  if (!facility.allowed_networks.empty() &&
      !InAllowedNetwork(facility.allowed_networks, origin.peer_address))
    return OriginVerdict::kOutsideNetworks;
  if (!origin.tls)
    return facility.require_tls ? OriginVerdict::kTlsRequired : OriginVerdict::kAllowed;
  if (facility.tls_client_sha256.empty()) return OriginVerdict::kNoCertificate;
  if (origin.client_sha256 != facility.tls_client_sha256) return OriginVerdict::kAnotherCertificate;
  return OriginVerdict::kAllowed;
}

Status ToStatus(OriginVerdict verdict) {
  switch (verdict) {
    case OriginVerdict::kAllowed:
      return Status::Ok();
    case OriginVerdict::kOutsideNetworks:
      return Status::PermissionDenied("peer address outside the facility's allowed networks");
    case OriginVerdict::kTlsRequired:
      return Status::PermissionDenied("facility must use DICOM TLS");
    case OriginVerdict::kNoCertificate:
      return Status::PermissionDenied("facility has no TLS client certificate registered");
    case OriginVerdict::kAnotherCertificate:
      return Status::PermissionDenied("TLS client certificate is not the facility's");
  }
  return Status::PermissionDenied("refused");
}

}  // namespace telerad
