// MachineTokenRepository: a facility's machine tokens (schema 0014), stored as digests.
// The writes append their AuditEntry in the same transaction and set its id.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "src/base/audit_entry.h"
#include "src/base/model.h"
#include "src/base/status.h"

namespace telerad {

struct MachineToken {
  int64_t id = 0;
  std::string facility_code;
  std::string name;
  std::string created_by;  // the admin's username
  TimePoint created_at;
  std::optional<TimePoint> last_used_at;
  std::optional<TimePoint> revoked_at;
};

// Who a live token stands for.
struct MachineTokenOwner {
  int64_t token_id = 0;
  std::string token_name;
  int64_t facility_id = 0;
  std::string facility_code;
};

class MachineTokenRepository {
 public:
  virtual ~MachineTokenRepository() = default;
  // kNotFound for an unknown facility, kConflict when a live token has that name.
  virtual Result<MachineToken> Create(const std::string& facility_code, const std::string& name,
                                      const std::string& token_hash, const std::string& created_by,
                                      AuditEntry& audit) = 0;
  // Every token of the facility, revoked ones too, newest first. kNotFound for an
  // unknown facility.
  virtual Result<std::vector<MachineToken>> List(const std::string& facility_code) = 0;
  // Revokes token `id` of the facility (revoking again changes nothing). kNotFound when
  // the facility has no such token.
  virtual Result<MachineToken> Revoke(const std::string& facility_code, int64_t id,
                                      AuditEntry& audit) = 0;
  // The owner of the unrevoked token with this digest, provided its facility is active,
  // and stamps its last use; nullopt otherwise.
  virtual Result<std::optional<MachineTokenOwner>> Use(const std::string& token_hash) = 0;
};

}  // namespace telerad
