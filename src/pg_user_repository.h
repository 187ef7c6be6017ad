// PgUserRepository: UserRepository on PostgreSQL.
#pragma once

#include "src/user_repository.h"

namespace telerad {

class PgPool;

class PgUserRepository : public UserRepository {
 public:
  // Registers its prepared statements on `pool`. REQUIRES: `pool` outlives this.
  explicit PgUserRepository(PgPool& pool);

  Result<std::optional<UserRecord>> FindByUsername(const std::string& username) override;
  Result<UserRecord> CreateIfAbsent(const UserRecord& user) override;
  Status CreateSession(const std::string& token_hash, int64_t user_id,
                       TimePoint expires_at) override;
  Result<std::optional<Principal>> FindSession(const std::string& token_hash) override;
  Result<int> CountDemoUsers() override;

 private:
  PgPool& pool_;
};

}  // namespace telerad
