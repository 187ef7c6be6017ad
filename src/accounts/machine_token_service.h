// MachineTokenService: the machine tokens a facility's gateway stores studies with
// (STOW-RS), instead of an account. A token is "tlm_" + 256 random bits (URL-safe
// base64); the prefix lets the HTTP door tell it from a login token without a lookup.
// Only its BLAKE2b digest is stored, it is shown once at creation, and a revoked token
// is refused from the next request on (never cached). Admins only. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "src/accounts/machine_token_repository.h"
#include "src/base/model.h"
#include "src/base/status.h"

namespace telerad {

struct CreatedMachineToken {
  MachineToken record;
  std::string token;  // the secret: returned once, stored nowhere
};

class MachineTokenService {
 public:
  static constexpr const char* kPrefix = "tlm_";

  // REQUIRES: `tokens` outlives the service.
  explicit MachineTokenService(MachineTokenRepository& tokens) : tokens_(tokens) {}

  // Whether `bearer` has the form of a machine token (not whether it is valid).
  static bool LooksLikeMachineToken(const std::string& bearer);

  // kPermissionDenied unless `who` is an admin; kInvalidArgument for a name that is
  // empty, longer than 64 bytes or holds a control character; else as the repository.
  Result<CreatedMachineToken> Create(const Principal& who, const std::string& facility_code,
                                     const std::string& name, AuditEntry& audit);
  Result<std::vector<MachineToken>> List(const Principal& who, const std::string& facility_code);
  Result<MachineToken> Revoke(const Principal& who, const std::string& facility_code, int64_t id,
                              AuditEntry& audit);

  // The facility principal (machine = true) behind a live token; kUnauthenticated for an
  // unknown or revoked token or an inactive facility.
  Result<Principal> Authenticate(const std::string& token);

 private:
  MachineTokenRepository& tokens_;
};

}  // namespace telerad
