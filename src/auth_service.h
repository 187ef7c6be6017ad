// AuthService: logins and bearer tokens.
//
// A login returns an opaque random token (256 bits); only its BLAKE2b digest is stored,
// so a copy of the database grants no access. Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "src/model.h"
#include "src/password_hasher.h"
#include "src/status.h"
#include "src/user_repository.h"

namespace telerad {

struct LoginResult {
  std::string token;
  Role role = Role::kRadiologist;
  TimePoint expires_at;
};

// Failed-login throttling (config login_max_failures, login_lockout_max).
struct LoginThrottle {
  int max_failures = 5;
  std::chrono::seconds lockout_max{900};
};

class AuthService {
 public:
  // REQUIRES: `users` and `hasher` outlive this service. kResourceExhausted if the
  // hasher cannot work at all (then logins could not be checked either).
  static Result<std::unique_ptr<AuthService>> Create(UserRepository& users, PasswordHasher& hasher,
                                                     std::chrono::seconds token_ttl,
                                                     LoginThrottle throttle = {});

  // kUnauthenticated for an unknown user, a wrong password or a disabled account (one
  // answer for all three, in the same time, so a caller cannot probe which usernames
  // exist); kResourceExhausted when too many logins are being checked at once;
  // kTooManyRequests while the username is locked out after repeated failures (counted
  // per name, existing or not, so the lockout reveals nothing either).
  Result<LoginResult> Login(const std::string& username, const std::string& password);

  // Ends the session of `token` (logout). OK for an unknown token too.
  Status Logout(const std::string& token);

  // The principal behind a bearer token; kUnauthenticated if it is unknown, expired or
  // revoked, or the account is disabled.
  Result<Principal> Authenticate(const std::string& token);

 private:
  AuthService(UserRepository& users, PasswordHasher& hasher, std::chrono::seconds token_ttl,
              LoginThrottle throttle, std::string dummy_hash);

  UserRepository& users_;
  PasswordHasher& hasher_;
  const std::chrono::seconds token_ttl_;
  const LoginThrottle throttle_;
  const std::string dummy_hash_;  // verified against for unknown users: equal timing
};

}  // namespace telerad
