#include "src/auth_service.h"

#include "src/sodium_password_hasher.h"

namespace telerad {

AuthService::AuthService(UserRepository& users, PasswordHasher& hasher,
                         std::chrono::seconds token_ttl)
    : users_(users), hasher_(hasher), token_ttl_(token_ttl) {
  auto dummy = hasher_.Hash(RandomToken(16));
  if (dummy.ok()) dummy_hash_ = *dummy;
}

Result<LoginResult> AuthService::Login(const std::string& username, const std::string& password) {
  auto user = users_.FindByUsername(username);
  if (!user.ok()) return user.status();
  if (!user->has_value()) {
    (void)hasher_.Verify(password, dummy_hash_);
    return Status::Unauthenticated("bad credentials");
  }
  const UserRecord& u = **user;
  if (!hasher_.Verify(password, u.password_hash) || !u.active)
    return Status::Unauthenticated("bad credentials");

  LoginResult result;
  result.token = RandomToken(32);
  result.role = u.role;
  result.expires_at = std::chrono::time_point_cast<TimePoint::duration>(
      std::chrono::system_clock::now() + token_ttl_);
  Status stored = users_.CreateSession(TokenDigest(result.token), u.id, result.expires_at);
  if (!stored.ok()) return stored;
  return result;
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
