// UserRepository: accounts and login sessions. Thread-safe.
//
// The writes taking an AuditEntry (sessions, account administration) append it in the
// same transaction as the change and set its id; a failed append rolls the change back.
// The failed-login counters are not audited here: a refused login is recorded by the
// caller with its outcome.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "src/base/audit_entry.h"
#include "src/base/model.h"
#include "src/base/status.h"

namespace telerad {

struct UserRecord {
  int64_t id = 0;
  std::string username;
  Role role = Role::kRadiologist;
  std::optional<int64_t> facility_id;
  std::string password_hash;  // argon2id string from PasswordHasher
  bool active = true;
  bool demo = false;
  std::string facility_code;  // filled by reads, for facility users
  TimePoint created_at;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;

  virtual Result<std::optional<UserRecord>> FindByUsername(const std::string& username) = 0;

  // Creates the user unless one of that name exists (then returns the existing one
  // unchanged, so seeding is idempotent). kInvalidArgument if facility_id is unknown.
  virtual Result<UserRecord> CreateIfAbsent(const UserRecord& user) = 0;

  // Stores a session for `token_hash`, valid until `expires_at`, provided the account is
  // still active with `password_hash` (the hash the login verified): a password reset or
  // a deactivation racing with the login wins. kUnauthenticated otherwise.
  virtual Status CreateSession(const std::string& token_hash, int64_t user_id,
                               const std::string& password_hash, TimePoint expires_at,
                               AuditEntry& audit) = 0;

  // The principal of an unexpired, unrevoked session of an active user, or nullopt.
  virtual Result<std::optional<Principal>> FindSession(const std::string& token_hash) = 0;

  // How many active demo accounts exist (start-up warns when there are any).
  virtual Result<int> CountDemoUsers() = 0;

  // Ends one session (logout). OK also when it was already ended or unknown.
  virtual Status RevokeSession(const std::string& token_hash, AuditEntry& audit) = 0;

  // --- failed logins, per username whether or not the account exists ---
  // Until when the name is locked out, or nullopt.
  virtual Result<std::optional<TimePoint>> LockedUntil(const std::string& username) = 0;
  // Counts a failure (after 15 quiet minutes, counted from the later of the last failure
  // and the end of its lock, the count starts again at 1: the window outlasts any lock).
  // From the `max_failures`th failure on, locks the name for 30 s doubling per further
  // failure, at most `lockout_max`.
  virtual Status RecordFailedLogin(const std::string& username, int max_failures,
                                   std::chrono::seconds lockout_max) = 0;
  virtual Status ClearFailedLogins(const std::string& username) = 0;
  // Forgets every name whose count would start again at its next failure (15 quiet
  // minutes, as above) and that is not locked: keeping it changes nothing, and a name
  // tried is sometimes a password typed into the wrong field. Returns how many.
  virtual Result<int> ForgetQuietFailedLogins() = 0;

  // --- administration ---
  virtual Result<std::vector<UserRecord>> List() = 0;
  // kConflict if the username is taken.
  virtual Result<UserRecord> Create(const UserRecord& user, AuditEntry& audit) = 0;
  // Sets whichever of `active` / `password_hash` is given; a password change or a
  // deactivation ends every session of the account in the same transaction. kNotFound
  // for an unknown username.
  virtual Result<UserRecord> Update(const std::string& username, std::optional<bool> active,
                                    std::optional<std::string> password_hash,
                                    AuditEntry& audit) = 0;
};

}  // namespace telerad
