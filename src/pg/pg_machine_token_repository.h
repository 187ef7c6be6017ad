// PgMachineTokenRepository: MachineTokenRepository on PostgreSQL (schema 0014).
#pragma once

#include "src/accounts/machine_token_repository.h"

namespace telerad {

class PgPool;

class PgMachineTokenRepository : public MachineTokenRepository {
 public:
  // Registers its prepared statements on `pool`. REQUIRES: `pool` outlives this.
  explicit PgMachineTokenRepository(PgPool& pool);

  Result<MachineToken> Create(const std::string& facility_code, const std::string& name,
                              const std::string& token_hash, const std::string& created_by,
                              AuditEntry& audit) override;
  Result<std::vector<MachineToken>> List(const std::string& facility_code) override;
  Result<MachineToken> Revoke(const std::string& facility_code, int64_t id,
                              AuditEntry& audit) override;
  Result<std::optional<MachineTokenOwner>> Use(const std::string& token_hash) override;

 private:
  PgPool& pool_;
};

}  // namespace telerad
