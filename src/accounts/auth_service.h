// AuthService: logins and bearer tokens.
//
// A login returns an opaque random token (256 bits); only its BLAKE2b digest is stored,
// so a copy of the database grants no access. Thread-safe.
//
// Time: a session's expiry is stamped from the Clock at login (Now() + token_ttl) and
// checked by the repository against the database's clock; a lockout's end is the
// repository's; the session cache ages on the Clock's Elapsed(), so a jump of the wall
// clock neither extends nor cuts the trust in a cached token.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "src/accounts/address_throttle.h"
#include "src/accounts/password_hasher.h"
#include "src/accounts/user_repository.h"
#include "src/base/clock.h"
#include "src/base/model.h"
#include "src/base/status.h"

namespace telerad {

struct LoginResult {
  std::string token;
  Role role = Role::kRadiologist;
  TimePoint expires_at;
};

// Failed-login throttling (config login_max_failures, login_lockout_max,
// login_address_max_failures, login_address_window).
struct LoginThrottle {
  int max_failures = 5;
  std::chrono::seconds lockout_max{900};
  int address_max_failures = 30;
  std::chrono::seconds address_window{60};
};

class AuthService {
 public:
  // REQUIRES: `users`, `hasher` and `clock` outlive this service. kResourceExhausted if the
  // hasher cannot work at all (then logins could not be checked either).
  // `session_cache`: how long a token once found valid is trusted without asking the
  // database again (config session_cache; 0 = ask on every request). Within that time a
  // revoked or expired session, or a disabled account, still passes on another process
  // (this one forgets a token at its logout at once).
  static Result<std::unique_ptr<AuthService>> Create(
      UserRepository& users, PasswordHasher& hasher, const Clock& clock,
      std::chrono::seconds token_ttl, LoginThrottle throttle = {},
      std::chrono::seconds session_cache = std::chrono::seconds(0));

  // kUnauthenticated for an unknown user, a wrong password or a disabled account (one
  // answer for all three, in the same time, so a caller cannot probe which usernames
  // exist); kResourceExhausted when too many logins are being checked at once;
  // kTooManyRequests while the username is locked out after repeated failures (counted
  // per name, existing or not, so the lockout reveals nothing either), and also while
  // `client_address` has failed address_max_failures times within address_window (see
  // AddressThrottle), answered before any database read or hash. `client_address` is the
  // client's address as the HTTP door established it: the TCP peer, or the address a
  // configured trusted proxy forwarded, never a header an untrusted client wrote. A demo
  // account (its password is published) signs in only when that address is loopback and
  // the request came through no proxy (`forwarded`: it carried a Forwarded,
  // X-Forwarded-For or X-Real-IP header); otherwise the answer is the one for a wrong
  // password, counted like one, and logged (event=demo_login_refused).
  // A successful login's `audit` entry (its user id and role filled in here) is appended
  // in the session's own transaction; a refused one appends nothing.
  Result<LoginResult> Login(const std::string& username, const std::string& password,
                            const std::string& client_address, AuditEntry& audit,
                            bool forwarded = false);

  // Ends the session of `token` (logout), appending `audit` in the same transaction.
  // OK for an unknown token too.
  Status Logout(const std::string& token, AuditEntry& audit);

  // The principal behind a bearer token; kUnauthenticated if it is unknown, expired or
  // revoked, or the account is disabled (up to `session_cache` late, see Create).
  Result<Principal> Authenticate(const std::string& token);

 private:
  AuthService(UserRepository& users, PasswordHasher& hasher, const Clock& clock,
              std::chrono::seconds token_ttl, LoginThrottle throttle,
              std::chrono::seconds session_cache, std::string dummy_hash);

  struct CachedSession {
    Principal principal;
    std::chrono::steady_clock::duration trusted_until;  // on clock_.Elapsed()
  };
  // Bounds the cache: past this many live sessions it is emptied rather than grown.
  static constexpr size_t kMaxCachedSessions = 10000;

  UserRepository& users_;
  PasswordHasher& hasher_;
  const Clock& clock_;
  const std::chrono::seconds token_ttl_;
  const LoginThrottle throttle_;
  const std::chrono::seconds session_cache_;
  const std::string dummy_hash_;  // verified against for unknown users: equal timing
  AddressThrottle addresses_;
  // Login without the address check (Login wraps it to count failures per address).
  Result<LoginResult> CheckLogin(const std::string& username, const std::string& password,
                                 bool local_client, AuditEntry& audit);

  std::mutex cache_mu_;
  std::unordered_map<std::string, CachedSession> cache_;  // by token digest; GUARDED_BY(cache_mu_)
};

}  // namespace telerad
