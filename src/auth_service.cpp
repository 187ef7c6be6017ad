#include "src/auth_service.h"

#include <algorithm>

#include "src/sodium_password_hasher.h"

namespace telerad {

AuthService::AuthService(UserRepository& users, PasswordHasher& hasher,
                         std::chrono::seconds token_ttl, LoginThrottle throttle,
                         std::string dummy_hash)
    : users_(users),
      hasher_(hasher),
      token_ttl_(token_ttl),
      throttle_(throttle),
      dummy_hash_(std::move(dummy_hash)) {}

Result<std::unique_ptr<AuthService>> AuthService::Create(UserRepository& users,
                                                         PasswordHasher& hasher,
                                                         std::chrono::seconds token_ttl,
                                                         LoginThrottle throttle) {
  // The hash of a random password nobody knows: verifying against it costs what a real
  // verification costs, so an unknown username answers as slowly as a wrong password.
  auto dummy = hasher.Hash(RandomToken(16));
  if (!dummy.ok()) return dummy.status();
  return std::unique_ptr<AuthService>(new AuthService(users, hasher, token_ttl, throttle, *dummy));
}

Result<LoginResult> AuthService::Login(const std::string& username, const std::string& password) {
  // No account has a longer name (admin_service.h), and nothing this long is stored or
  // hashed: refused at once, which also keeps junk out of login_failure.
  if (username.empty() || username.size() > 64 || password.size() > 1024)
    return Status::Unauthenticated("bad credentials");
  // A locked-out name is refused before any hash is computed: guessing costs the
  // attacker time and costs us nothing.
  auto locked = users_.LockedUntil(username);
  if (!locked.ok()) return locked.status();
  if (*locked) {
    const auto wait = std::chrono::duration_cast<std::chrono::seconds>(
                          **locked - std::chrono::system_clock::now())
                          .count();
    return Status::TooManyRequests("too many failed logins; try again in " +
                                   std::to_string(std::max<int64_t>(wait, 1)) + " s");
  }
  auto user = users_.FindByUsername(username);
  if (!user.ok()) return user.status();
  // An unknown user costs the same hash as a known one, so timing does not tell.
  const std::string& hash = user->has_value() ? (*user)->password_hash : dummy_hash_;
  auto matches = hasher_.Verify(password, hash);
  if (!matches.ok()) return matches.status();
  if (!user->has_value() || !*matches || !(*user)->active) {
    Status counted =
        users_.RecordFailedLogin(username, throttle_.max_failures, throttle_.lockout_max);
    if (!counted.ok()) return counted;
    return Status::Unauthenticated("bad credentials");
  }
  const UserRecord& u = **user;
  if (Status cleared = users_.ClearFailedLogins(username); !cleared.ok()) return cleared;

  LoginResult result;
  result.token = RandomToken(32);
  result.role = u.role;
  result.expires_at = std::chrono::time_point_cast<TimePoint::duration>(
      std::chrono::system_clock::now() + token_ttl_);
  Status stored =
      users_.CreateSession(TokenDigest(result.token), u.id, u.password_hash, result.expires_at);
  if (!stored.ok()) return stored;
  return result;
}

Status AuthService::Logout(const std::string& token) {
  if (token.empty() || token.size() > 128) return Status::Ok();
  return users_.RevokeSession(TokenDigest(token));
}

Result<Principal> AuthService::Authenticate(const std::string& token) {
  // A token is 43 URL-safe base64 characters; anything else cannot be one of ours.
  if (token.empty() || token.size() > 128) return Status::Unauthenticated("invalid token");
  auto found = users_.FindSession(TokenDigest(token));
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::Unauthenticated("invalid or expired token");
  return **found;
}

}  // namespace telerad
