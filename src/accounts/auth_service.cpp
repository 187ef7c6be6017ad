#include "src/accounts/auth_service.h"

#include <algorithm>

#include "src/accounts/sodium_password_hasher.h"
#include "src/base/ip_network.h"
#include "src/base/logging.h"

namespace telerad {

AuthService::AuthService(UserRepository& users, PasswordHasher& hasher, const Clock& clock,
                         std::chrono::seconds token_ttl, LoginThrottle throttle,
                         std::chrono::seconds session_cache, std::string dummy_hash)
    : users_(users),
      hasher_(hasher),
      clock_(clock),
      token_ttl_(token_ttl),
      throttle_(throttle),
      session_cache_(session_cache),
      dummy_hash_(std::move(dummy_hash)),
      addresses_(clock, throttle.address_max_failures, throttle.address_window) {}

Result<std::unique_ptr<AuthService>> AuthService::Create(UserRepository& users,
                                                         PasswordHasher& hasher, const Clock& clock,
                                                         std::chrono::seconds token_ttl,
                                                         LoginThrottle throttle,
                                                         std::chrono::seconds session_cache) {
  // The hash of a random password nobody knows: verifying against it costs what a real
  // verification costs, so an unknown username answers as slowly as a wrong password.
  auto dummy = hasher.Hash(RandomToken(16));
  if (!dummy.ok()) return dummy.status();
  return std::unique_ptr<AuthService>(
      new AuthService(users, hasher, clock, token_ttl, throttle, session_cache, *dummy));
}

Result<LoginResult> AuthService::Login(const std::string& username, const std::string& password,
                                       const std::string& client_address, AuditEntry& audit,
                                       bool forwarded) {
  // Checked first: a flood from one address costs a map lookup per request, no query
  // and no hash, so it cannot take the HTTP threads from users already signed in.
  if (!addresses_.Allows(client_address))
    return Status::TooManyRequests("too many failed logins from this address; try again later");
  Result<LoginResult> result =
      CheckLogin(username, password, !forwarded && IsLoopbackAddress(client_address), audit);
  // A login turned away because every password check is busy counts against its address
  // too: with handlers on many workers, a flood from one address would otherwise keep the
  // checks busy and be answered 503 forever, never reaching its allowance (429).
  const StatusCode code = result.status().code();
  if (code == StatusCode::kUnauthenticated || code == StatusCode::kTooManyRequests ||
      code == StatusCode::kResourceExhausted)
    addresses_.RecordFailure(client_address);
  return result;
}

Result<LoginResult> AuthService::CheckLogin(const std::string& username,
                                            const std::string& password, bool local_client,
                                            AuditEntry& audit) {
  // No account has a longer name (admin_service.h), and nothing this long is stored or
  // hashed: refused at once, which also keeps junk out of login_failure.
  if (username.empty() || username.size() > 64 || password.size() > 1024)
    return Status::Unauthenticated("bad credentials");
  // A locked-out name is refused before any hash is computed: guessing costs the
  // attacker time and costs us nothing.
  auto locked = users_.LockedUntil(username);
  if (!locked.ok()) return locked.status();
  if (*locked) {
    const auto wait =
        std::chrono::duration_cast<std::chrono::seconds>(**locked - clock_.Now()).count();
    return Status::TooManyRequests("too many failed logins; try again in " +
                                   std::to_string(std::max<int64_t>(wait, 1)) + " s");
  }
  auto user = users_.FindByUsername(username);
  if (!user.ok()) return user.status();
  // An unknown user costs the same hash as a known one, so timing does not tell.
  const std::string& hash = user->has_value() ? (*user)->password_hash : dummy_hash_;
  auto matches = hasher_.Verify(password, hash);
  if (!matches.ok()) return matches.status();
  // The demo password is published: from another machine it opens nothing. Refused after
  // the hash, like a wrong password, so neither the answer nor its timing tells them apart.
  const bool remote_demo = user->has_value() && (*user)->demo && !local_client;
  if (remote_demo && *matches)
    CoreLog().warn("event=demo_login_refused username={} reason=\"not from loopback\"",
                   (*user)->username);
  if (!user->has_value() || !*matches || !(*user)->active || remote_demo) {
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
  result.expires_at = clock_.Now() + token_ttl_;
  audit.user_id = u.id;
  audit.role = ToString(u.role);
  Status stored = users_.CreateSession(TokenDigest(result.token), u.id, u.password_hash,
                                       result.expires_at, audit);
  if (!stored.ok()) return stored;
  return result;
}

Status AuthService::Logout(const std::string& token, AuditEntry& audit) {
  if (token.empty() || token.size() > 128) return Status::Ok();
  const std::string digest = TokenDigest(token);
  if (session_cache_.count() > 0) {
    std::lock_guard<std::mutex> lock(cache_mu_);
    cache_.erase(digest);
  }
  return users_.RevokeSession(digest, audit);
}

Result<Principal> AuthService::Authenticate(const std::string& token) {
  // A token is 43 URL-safe base64 characters; anything else cannot be one of ours.
  if (token.empty() || token.size() > 128) return Status::Unauthenticated("invalid token");
  const std::string digest = TokenDigest(token);
  const auto now = clock_.Elapsed();
  if (session_cache_.count() > 0) {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = cache_.find(digest);
    if (it != cache_.end() && it->second.trusted_until > now) return it->second.principal;
  }
  // Only valid sessions are cached: a stream of forged tokens cannot fill the cache, and
  // a token that was refused is asked about again next time.
  auto found = users_.FindSession(digest);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::Unauthenticated("invalid or expired token");
  if (session_cache_.count() > 0) {
    std::lock_guard<std::mutex> lock(cache_mu_);
    if (cache_.size() >= kMaxCachedSessions) {
      for (auto it = cache_.begin(); it != cache_.end();)
        it = it->second.trusted_until <= now ? cache_.erase(it) : std::next(it);
      if (cache_.size() >= kMaxCachedSessions) cache_.clear();
    }
    cache_[digest] = CachedSession{**found, now + session_cache_};
  }
  return **found;
}

}  // namespace telerad
