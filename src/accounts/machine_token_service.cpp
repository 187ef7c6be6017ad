#include "src/accounts/machine_token_service.h"

#include "src/accounts/sodium_password_hasher.h"

namespace telerad {
namespace {

Status RequireAdmin(const Principal& who) {
  if (who.role != Role::kAdmin || who.machine)
    return Status::PermissionDenied("machine tokens are managed by admins");
  return Status::Ok();
}

}  // namespace

bool MachineTokenService::LooksLikeMachineToken(const std::string& bearer) {
  return bearer.rfind(kPrefix, 0) == 0;
}

Result<CreatedMachineToken> MachineTokenService::Create(const Principal& who,
                                                        const std::string& facility_code,
                                                        const std::string& name,
                                                        AuditEntry& audit) {
  if (Status s = RequireAdmin(who); !s.ok()) return s;
  if (name.empty() || name.size() > 64)
    return Status::InvalidArgument("'name' must be 1 to 64 bytes");
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7F) return Status::InvalidArgument("'name' holds a control character");
  CreatedMachineToken created;
  created.token = std::string(kPrefix) + RandomToken(32);
  auto record =
      tokens_.Create(facility_code, name, TokenDigest(created.token), who.username, audit);
  if (!record.ok()) return record.status();
  created.record = std::move(*record);
  return created;
}

Result<std::vector<MachineToken>> MachineTokenService::List(const Principal& who,
                                                            const std::string& facility_code) {
  if (Status s = RequireAdmin(who); !s.ok()) return s;
  return tokens_.List(facility_code);
}

Result<MachineToken> MachineTokenService::Revoke(const Principal& who,
                                                 const std::string& facility_code, int64_t id,
                                                 AuditEntry& audit) {
  if (Status s = RequireAdmin(who); !s.ok()) return s;
  return tokens_.Revoke(facility_code, id, audit);
}

Result<Principal> MachineTokenService::Authenticate(const std::string& token) {
  // Ours are the prefix plus 43 characters; anything much longer is not worth hashing.
  if (!LooksLikeMachineToken(token) || token.size() > 128)
    return Status::Unauthenticated("invalid token");
  auto owner = tokens_.Use(TokenDigest(token));
  if (!owner.ok()) return owner.status();
  if (!owner->has_value()) return Status::Unauthenticated("invalid or revoked machine token");
  Principal p;
  p.user_id = 0;
  p.username = "machine:" + (*owner)->facility_code + "/" + (*owner)->token_name;
  p.role = Role::kFacility;
  p.facility_id = (*owner)->facility_id;
  p.machine = true;
  return p;
}

}  // namespace telerad
