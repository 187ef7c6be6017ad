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

Status CheckSenderOrigin(const Facility& facility, const SenderOrigin& origin) {
  if (!facility.allowed_networks.empty() &&
      !InAllowedNetwork(facility.allowed_networks, origin.peer_address))
    return Status::PermissionDenied("peer address outside the facility's allowed networks");
  if (!origin.tls) {
    if (facility.require_tls) return Status::PermissionDenied("facility must use DICOM TLS");
    return Status::Ok();
  }
  if (facility.tls_client_sha256.empty())
    return Status::PermissionDenied("facility has no TLS client certificate registered");
  if (origin.client_sha256 != facility.tls_client_sha256)
    return Status::PermissionDenied("TLS client certificate is not the facility's");
  return Status::Ok();
}

}  // namespace telerad
