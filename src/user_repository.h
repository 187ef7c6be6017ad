// UserRepository: accounts and login sessions. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "src/model.h"
#include "src/status.h"

namespace telerad {

struct UserRecord {
  int64_t id = 0;
  std::string username;
  Role role = Role::kRadiologist;
  std::optional<int64_t> facility_id;
  std::string password_hash;  // argon2id string from PasswordHasher
  bool active = true;
  bool demo = false;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;

  virtual Result<std::optional<UserRecord>> FindByUsername(const std::string& username) = 0;

  // Creates the user unless one of that name exists (then returns the existing one
  // unchanged, so seeding is idempotent). kInvalidArgument if facility_id is unknown.
  virtual Result<UserRecord> CreateIfAbsent(const UserRecord& user) = 0;

  // Stores a session for `token_hash`, valid until `expires_at`.
  virtual Status CreateSession(const std::string& token_hash, int64_t user_id,
                               TimePoint expires_at) = 0;

  // The principal of an unexpired, unrevoked session of an active user, or nullopt.
  virtual Result<std::optional<Principal>> FindSession(const std::string& token_hash) = 0;

  // How many active demo accounts exist (start-up warns when there are any).
  virtual Result<int> CountDemoUsers() = 0;
};

}  // namespace telerad
