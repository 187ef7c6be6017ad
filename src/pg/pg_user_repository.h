// PgUserRepository: UserRepository on PostgreSQL.
#pragma once

#include "src/accounts/user_repository.h"

namespace telerad {

class PgPool;

class PgUserRepository : public UserRepository {
 public:
  // Registers its prepared statements on `pool`. REQUIRES: `pool` outlives this.
  explicit PgUserRepository(PgPool& pool);

  Result<std::optional<UserRecord>> FindByUsername(const std::string& username) override;
  Result<UserRecord> CreateIfAbsent(const UserRecord& user) override;
  Status CreateSession(const std::string& token_hash, int64_t user_id,
                       const std::string& password_hash, TimePoint expires_at,
                       AuditEntry& audit) override;
  Result<std::optional<Principal>> FindSession(const std::string& token_hash) override;
  Result<int> CountDemoUsers() override;
  Status RevokeSession(const std::string& token_hash, AuditEntry& audit) override;
  Result<std::optional<TimePoint>> LockedUntil(const std::string& username) override;
  Status RecordFailedLogin(const std::string& username, int max_failures,
                           std::chrono::seconds lockout_max) override;
  Status ClearFailedLogins(const std::string& username) override;
  Result<int> ForgetQuietFailedLogins() override;
  Result<std::vector<UserRecord>> List() override;
  Result<UserRecord> Create(const UserRecord& user, AuditEntry& audit) override;
  Result<UserRecord> Update(const std::string& username, std::optional<bool> active,
                            std::optional<std::string> password_hash, AuditEntry& audit) override;

 private:
  PgPool& pool_;
};

}  // namespace telerad
