#include "src/accounts/auth_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "src/accounts/failed_login_sweeper.h"
#include "src/accounts/sodium_password_hasher.h"
#include "tests/fakes/fake_audit_log.h"
#include "tests/unit/fake_clock.h"

namespace telerad {
namespace {

constexpr const char* kPeer = "192.0.2.7";

// Plain-text "hashes": the service's logic is under test, not argon2id.
class FakeHasher : public PasswordHasher {
 public:
  Result<std::string> Hash(const std::string& password) override { return "h:" + password; }
  Result<bool> Verify(const std::string& password, const std::string& hash) override {
    ++verifications;
    if (busy) return Status::ResourceExhausted("busy");
    return hash == "h:" + password;
  }
  bool busy = false;
  int verifications = 0;
};

// Sessions and lockouts on a Clock, following the rules the SQL applies with the
// database's now() (user_repository.h): a session is valid while expires_at > now; from
// the max_failures-th failure without 15 quiet minutes (counted from the end of the last
// lock) a name is locked for 30 s, doubling per
// further failure, at most lockout_max.
class FakeUsers : public UserRepository {
 public:
  explicit FakeUsers(const Clock& clock) : clock_(clock) {}

  Result<std::optional<UserRecord>> FindByUsername(const std::string& name) override {
    auto it = users.find(name);
    if (it == users.end()) return std::optional<UserRecord>();
    return std::optional<UserRecord>(it->second);
  }
  Result<UserRecord> CreateIfAbsent(const UserRecord& u) override { return users[u.username] = u; }
  Status CreateSession(const std::string& digest, int64_t user_id, const std::string&,
                       TimePoint expires_at, AuditEntry& audit) override {
    if (Status appended = audit_log.Append(audit); !appended.ok()) return appended;
    sessions[digest] = {user_id, expires_at};
    return Status::Ok();
  }
  Result<std::optional<Principal>> FindSession(const std::string& digest) override {
    ++session_lookups;
    auto it = sessions.find(digest);
    if (it == sessions.end() || it->second.expires_at <= clock_.Now())
      return std::optional<Principal>();
    Principal p;
    p.user_id = it->second.user_id;
    return std::optional<Principal>(p);
  }
  Result<int> CountDemoUsers() override { return 0; }
  Status RevokeSession(const std::string& digest, AuditEntry& audit) override {
    if (Status appended = audit_log.Append(audit); !appended.ok()) return appended;
    sessions.erase(digest);
    return Status::Ok();
  }
  Result<std::optional<TimePoint>> LockedUntil(const std::string& name) override {
    auto it = failures.find(name);
    if (it == failures.end() || !it->second.locked_until ||
        *it->second.locked_until <= clock_.Now())
      return std::optional<TimePoint>();
    return it->second.locked_until;
  }
  Status RecordFailedLogin(const std::string& name, int max_failures,
                           std::chrono::seconds lockout_max) override {
    const TimePoint now = clock_.Now();
    Failures& f = failures[name];
    const TimePoint quiet_from = std::max(f.last_at, f.locked_until.value_or(f.last_at));
    f.count = f.count > 0 && quiet_from >= now - std::chrono::minutes(15) ? f.count + 1 : 1;
    f.last_at = now;
    f.locked_until.reset();
    if (f.count >= max_failures) {
      const int doublings = std::min(f.count - max_failures, 20);
      f.locked_until = now + std::min<std::chrono::seconds>(
                                 std::chrono::seconds(30) * (int64_t{1} << doublings), lockout_max);
    }
    return Status::Ok();
  }
  Status ClearFailedLogins(const std::string& name) override {
    failures.erase(name);
    return Status::Ok();
  }
  Result<int> ForgetQuietFailedLogins() override {
    int forgotten = 0;
    for (auto it = failures.begin(); it != failures.end();) {
      const Failures& f = it->second;
      const bool quiet = std::max(f.last_at, f.locked_until.value_or(f.last_at)) <
                         clock_.Now() - std::chrono::minutes(15);
      it = quiet ? (++forgotten, failures.erase(it)) : std::next(it);
    }
    return forgotten;
  }
  Result<std::vector<UserRecord>> List() override { return std::vector<UserRecord>(); }
  Result<UserRecord> Create(const UserRecord& u, AuditEntry&) override {
    return users[u.username] = u;
  }
  Result<UserRecord> Update(const std::string& name, std::optional<bool>,
                            std::optional<std::string>, AuditEntry&) override {
    return users[name];
  }

  struct Session {
    int64_t user_id = 0;
    TimePoint expires_at;
  };
  struct Failures {
    int count = 0;
    TimePoint last_at;
    std::optional<TimePoint> locked_until;
  };
  std::map<std::string, UserRecord> users;
  std::map<std::string, Session> sessions;
  std::map<std::string, Failures> failures;
  int session_lookups = 0;
  FakeAuditLog audit_log;  // sessions' audit entries, appended with them

 private:
  const Clock& clock_;
};

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitSodium());
    UserRecord u;
    u.id = 3;
    u.username = "rad1";
    u.password_hash = "h:secret";
    users_.users["rad1"] = u;
    auth_ = Make(std::chrono::seconds(60), std::chrono::seconds(0));
  }
  // A service with token_ttl 1 h and three failures allowed.
  std::unique_ptr<AuthService> Make(std::chrono::seconds lockout_max,
                                    std::chrono::seconds session_cache) {
    auto created = AuthService::Create(users_, hasher_, clock_, std::chrono::hours(1),
                                       {3, lockout_max}, session_cache);
    EXPECT_TRUE(created.ok());
    return created.ok() ? std::move(*created) : nullptr;
  }
  std::string LockoutMessage(AuthService& auth) {
    Status s = auth.Login("rad1", "secret", kPeer, audit_).status();
    EXPECT_EQ(s.code(), StatusCode::kTooManyRequests);
    return s.message();
  }
  FakeClock clock_;
  FakeUsers users_{clock_};
  FakeHasher hasher_;
  std::unique_ptr<AuthService> auth_;
  AuditEntry audit_;  // the request's entry, as the HTTP door hands it down
};

TEST_F(AuthServiceTest, LoginGivesATokenStoredOnlyAsADigest) {
  auto login = auth_->Login("rad1", "secret", kPeer, audit_);
  ASSERT_TRUE(login.ok());
  EXPECT_GE(login->token.size(), 43u);
  EXPECT_EQ(users_.sessions.count(login->token), 0u);  // never the token itself
  auto who = auth_->Authenticate(login->token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->user_id, 3);
  EXPECT_EQ(auth_->Authenticate("forged").status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, UnknownUserCostsAVerificationLikeAWrongPassword) {
  const int before = hasher_.verifications;
  EXPECT_EQ(auth_->Login("nobody", "secret", kPeer, audit_).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(auth_->Login("rad1", "wrong", kPeer, audit_).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(hasher_.verifications - before, 2);
}

TEST_F(AuthServiceTest, DisabledAccountCannotLogIn) {
  users_.users["rad1"].active = false;
  EXPECT_EQ(auth_->Login("rad1", "secret", kPeer, audit_).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, BusyHasherSaysComeBackLater) {
  hasher_.busy = true;
  EXPECT_EQ(auth_->Login("rad1", "secret", kPeer, audit_).status().code(),
            StatusCode::kResourceExhausted);
}

TEST_F(AuthServiceTest, RepeatedFailuresLockTheNameWithoutHashing) {
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(auth_->Login("rad1", "wrong", kPeer, audit_).status().code(),
              StatusCode::kUnauthenticated);
  const int before = hasher_.verifications;
  // Locked: even the right password is refused, and no hash is spent on it.
  EXPECT_EQ(auth_->Login("rad1", "secret", kPeer, audit_).status().code(),
            StatusCode::kTooManyRequests);
  EXPECT_EQ(hasher_.verifications, before);
  // Unknown names are counted the same way, so a lockout does not reveal that a name exists.
  for (int i = 0; i < 3; ++i) (void)auth_->Login("nobody", "x", kPeer, audit_);
  EXPECT_EQ(auth_->Login("nobody", "x", kPeer, audit_).status().code(),
            StatusCode::kTooManyRequests);
}

TEST_F(AuthServiceTest, SuccessClearsTheFailureCount) {
  (void)auth_->Login("rad1", "wrong", kPeer, audit_);
  (void)auth_->Login("rad1", "wrong", kPeer, audit_);
  ASSERT_TRUE(auth_->Login("rad1", "secret", kPeer, audit_).ok());
  EXPECT_EQ(users_.failures.count("rad1"), 0u);
}

// The demo password is published: a demo account signs in from loopback without a proxy
// only. From elsewhere the answer, its cost and its counting are a wrong password's.
TEST_F(AuthServiceTest, DemoAccountSignsInOnlyFromLoopbackWithoutAProxy) {
  users_.users["rad1"].demo = true;
  const int before = hasher_.verifications;
  EXPECT_EQ(auth_->Login("rad1", "secret", kPeer, audit_).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(hasher_.verifications - before, 1);  // hashed like any attempt: timing tells nothing
  EXPECT_EQ(users_.failures["rad1"].count, 1);
  EXPECT_EQ(auth_->Login("rad1", "secret", "127.0.0.1", audit_, true).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_TRUE(auth_->Login("rad1", "secret", "127.0.0.1", audit_).ok());
  EXPECT_TRUE(auth_->Login("rad1", "secret", "::1", audit_).ok());
  // A real account is not bound to loopback.
  users_.users["rad1"].demo = false;
  EXPECT_TRUE(auth_->Login("rad1", "secret", kPeer, audit_).ok());
}

TEST_F(AuthServiceTest, LoginCommitsItsAuditEntryWithTheSessionOrNotAtAll) {
  audit_.action = "auth.login";
  audit_.username = "rad1";
  auto login = auth_->Login("rad1", "secret", kPeer, audit_);
  ASSERT_TRUE(login.ok());
  ASSERT_EQ(users_.audit_log.entries.size(), 1u);
  EXPECT_EQ(users_.audit_log.entries[0].user_id, 3);  // the account's id, known only now
  EXPECT_EQ(users_.audit_log.entries[0].role, "radiologist");
  EXPECT_NE(audit_.id, 0);
  // The audit insert refused: no session, and the login fails.
  users_.audit_log.fail = true;
  const size_t sessions = users_.sessions.size();
  AuditEntry second;
  EXPECT_FALSE(auth_->Login("rad1", "secret", kPeer, second).ok());
  EXPECT_EQ(users_.sessions.size(), sessions);
  EXPECT_EQ(second.id, 0);
  // A refused login appends nothing here: the door records it with its outcome.
  users_.audit_log.fail = false;
  AuditEntry refused;
  EXPECT_FALSE(auth_->Login("rad1", "wrong", kPeer, refused).ok());
  EXPECT_EQ(users_.audit_log.entries.size(), 1u);
}

TEST_F(AuthServiceTest, LogoutEndsTheSession) {
  auto login = auth_->Login("rad1", "secret", kPeer, audit_);
  ASSERT_TRUE(login.ok());
  ASSERT_TRUE(auth_->Logout(login->token, audit_).ok());
  EXPECT_EQ(auth_->Authenticate(login->token).status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(auth_->Logout("unknown", audit_).ok());
}

// With session_cache a valid token is looked up once per period, a refused one every
// time; a revoked session passes until the period ends, then fails.
TEST_F(AuthServiceTest, SessionCacheTrustsAValidTokenForItsPeriodOnly) {
  auto cached = Make(std::chrono::seconds(60), std::chrono::seconds(1));
  auto login = cached->Login("rad1", "secret", kPeer, audit_);
  ASSERT_TRUE(login.ok());
  const int before = users_.session_lookups;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(cached->Authenticate(login->token).ok());
  EXPECT_EQ(users_.session_lookups - before, 1);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(cached->Authenticate("forged").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(users_.session_lookups - before, 4);

  users_.sessions.clear();  // revoked
  clock_.Advance(std::chrono::milliseconds(999));
  EXPECT_TRUE(cached->Authenticate(login->token).ok());
  clock_.Advance(std::chrono::milliseconds(1));  // exactly session_cache since the lookup
  EXPECT_EQ(cached->Authenticate(login->token).status().code(), StatusCode::kUnauthenticated);
}

// The cache's age is measured on the monotonic reading: setting the wall clock a day
// ahead (NTP, an operator) neither ends nor prolongs the trust in a cached token.
TEST_F(AuthServiceTest, SessionCacheAgeIgnoresWallClockJumps) {
  auto cached = Make(std::chrono::seconds(60), std::chrono::seconds(10));
  auto login = cached->Login("rad1", "secret", kPeer, audit_);
  ASSERT_TRUE(login.ok());
  ASSERT_TRUE(cached->Authenticate(login->token).ok());
  users_.sessions.clear();  // revoked
  clock_.SetNow(clock_.Now() + std::chrono::hours(24));
  EXPECT_TRUE(cached->Authenticate(login->token).ok());
  clock_.Advance(std::chrono::seconds(10));
  EXPECT_EQ(cached->Authenticate(login->token).status().code(), StatusCode::kUnauthenticated);
}

// The session is stored to end token_ttl after the login by the service's clock; the
// repository refuses it from that instant on.
TEST_F(AuthServiceTest, TokenExpiresExactlyAtTokenTtl) {
  const TimePoint logged_in = clock_.Now();
  auto login = auth_->Login("rad1", "secret", kPeer, audit_);
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->expires_at, logged_in + std::chrono::hours(1));
  ASSERT_EQ(users_.sessions.size(), 1u);
  EXPECT_EQ(users_.sessions.begin()->second.expires_at, login->expires_at);
  clock_.Advance(std::chrono::hours(1) - std::chrono::microseconds(1));
  EXPECT_TRUE(auth_->Authenticate(login->token).ok());
  clock_.Advance(std::chrono::microseconds(1));
  EXPECT_EQ(auth_->Authenticate(login->token).status().code(), StatusCode::kUnauthenticated);
}

// The refusal says how long is left, by the clock, rounded down but never "0 s"; once the
// lockout has ended the right password logs in.
TEST_F(AuthServiceTest, LockoutCountsDownOnTheClockAndEnds) {
  for (int i = 0; i < 3; ++i) (void)auth_->Login("rad1", "wrong", kPeer, audit_);
  EXPECT_EQ(LockoutMessage(*auth_), "too many failed logins; try again in 30 s");
  clock_.Advance(std::chrono::seconds(20));
  EXPECT_EQ(LockoutMessage(*auth_), "too many failed logins; try again in 10 s");
  clock_.Advance(std::chrono::milliseconds(9500));
  EXPECT_EQ(LockoutMessage(*auth_), "too many failed logins; try again in 1 s");
  clock_.Advance(std::chrono::milliseconds(500));
  EXPECT_TRUE(auth_->Login("rad1", "secret", kPeer, audit_).ok());
}

// Each failure after a lockout has ended locks the name twice as long, up to the
// configured lockout_max (the service passes its throttle to the repository).
TEST_F(AuthServiceTest, LockoutDoublesWithEachFurtherFailureUpToTheMaximum) {
  auto auth = Make(std::chrono::seconds(100), std::chrono::seconds(0));
  for (int i = 0; i < 3; ++i) (void)auth->Login("rad1", "wrong", kPeer, audit_);
  EXPECT_EQ(LockoutMessage(*auth), "too many failed logins; try again in 30 s");
  clock_.Advance(std::chrono::seconds(30));
  EXPECT_EQ(auth->Login("rad1", "wrong", kPeer, audit_).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(LockoutMessage(*auth), "too many failed logins; try again in 60 s");
  clock_.Advance(std::chrono::seconds(60));
  EXPECT_EQ(auth->Login("rad1", "wrong", kPeer, audit_).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(LockoutMessage(*auth), "too many failed logins; try again in 100 s");
  clock_.Advance(std::chrono::seconds(100));
  EXPECT_TRUE(auth->Login("rad1", "secret", kPeer, audit_).ok());
}

// A lock as long as the counting window (login_lockout_max 900 s): the failures must not
// age out while the name is locked, or the doubling would start again at 30 s for
// whoever waits the lock out. Only 15 quiet minutes after the lock ends forget them.
TEST_F(AuthServiceTest, FailuresOutlastTheLongestLock) {
  auto auth = Make(std::chrono::seconds(900), std::chrono::seconds(0));
  for (int i = 0; i < 3; ++i) (void)auth->Login("rad1", "wrong", kPeer, audit_);
  for (int lock : {30, 60, 120, 240, 480}) {
    EXPECT_EQ(LockoutMessage(*auth),
              "too many failed logins; try again in " + std::to_string(lock) + " s");
    clock_.Advance(std::chrono::seconds(lock));
    (void)auth->Login("rad1", "wrong", kPeer, audit_);
  }
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(LockoutMessage(*auth), "too many failed logins; try again in 900 s");
    clock_.Advance(std::chrono::seconds(901));
    EXPECT_EQ(auth->Login("rad1", "wrong", kPeer, audit_).status().code(),
              StatusCode::kUnauthenticated);
  }
  EXPECT_EQ(LockoutMessage(*auth), "too many failed logins; try again in 900 s");
  clock_.Advance(std::chrono::seconds(900) + std::chrono::minutes(15) + std::chrono::seconds(1));
  EXPECT_EQ(auth->Login("rad1", "wrong", kPeer, audit_).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_TRUE(auth->Login("rad1", "secret", kPeer, audit_).ok());  // the count started again at 1
}

// The sweeper forgets a name only once forgetting it changes nothing: its lock has ended
// and its count would start again at 1. (The fake mirrors PgUserRepository, whose rule
// tests/integration/pg_user_repository_test.cpp checks on PostgreSQL.)
TEST_F(AuthServiceTest, TheSweeperForgetsOnlyNamesWhoseFailuresNoLongerCount) {
  FailedLoginSweeper sweeper(users_);
  for (int i = 0; i < 3; ++i) (void)auth_->Login("rad1", "wrong", kPeer, audit_);  // locked 30 s
  (void)auth_->Login("my-password-typed-here", "x", kPeer, audit_);
  EXPECT_EQ(*sweeper.SweepOnce(), 0);
  EXPECT_EQ(LockoutMessage(*auth_), "too many failed logins; try again in 30 s");
  clock_.Advance(std::chrono::minutes(15) + std::chrono::seconds(1));
  // The mistyped name is quiet; rad1's quiet time counts from the end of its lock.
  EXPECT_EQ(*sweeper.SweepOnce(), 1);
  EXPECT_EQ(users_.failures.count("my-password-typed-here"), 0u);
  ASSERT_EQ(users_.failures.count("rad1"), 1u);
  clock_.Advance(std::chrono::seconds(29));
  EXPECT_EQ(*sweeper.SweepOnce(), 0);  // exactly 15 minutes after the lock: still counts
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(*sweeper.SweepOnce(), 1);
  EXPECT_TRUE(users_.failures.empty());
}

TEST_F(AuthServiceTest, WithoutSessionCacheEveryRequestLooksItsSessionUp) {
  auto login = auth_->Login("rad1", "secret", kPeer, audit_);
  ASSERT_TRUE(login.ok());
  const int before = users_.session_lookups;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(auth_->Authenticate(login->token).ok());
  EXPECT_EQ(users_.session_lookups - before, 3);
  users_.sessions.clear();
  EXPECT_EQ(auth_->Authenticate(login->token).status().code(), StatusCode::kUnauthenticated);
}

// A flood of wrong logins under ever new names from one address: each name stays below
// its own lockout, yet past address_max_failures the address is refused with no query
// and no hash, while another address still logs in.
TEST_F(AuthServiceTest, FloodUnderRandomNamesFromOneAddressIsThrottled) {
  auto created = AuthService::Create(users_, hasher_, clock_, std::chrono::hours(1),
                                     {3, std::chrono::seconds(60), 10, std::chrono::seconds(60)});
  ASSERT_TRUE(created.ok());
  AuthService& auth = **created;
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(auth.Login("guess" + std::to_string(i), "x", kPeer, audit_).status().code(),
              StatusCode::kUnauthenticated);
  const int verified = hasher_.verifications;
  const size_t names = users_.failures.size();
  for (int i = 10; i < 50; ++i)
    EXPECT_EQ(auth.Login("guess" + std::to_string(i), "x", kPeer, audit_).status().code(),
              StatusCode::kTooManyRequests);
  EXPECT_EQ(hasher_.verifications, verified);
  EXPECT_EQ(users_.failures.size(), names);  // nothing more written either
  // Even the right password from that address waits for the window...
  EXPECT_EQ(auth.Login("rad1", "secret", kPeer, audit_).status().code(),
            StatusCode::kTooManyRequests);
  // ...while a radiologist elsewhere is not held back by it.
  EXPECT_TRUE(auth.Login("rad1", "secret", "198.51.100.4", audit_).ok());
  clock_.Advance(std::chrono::seconds(60));
  EXPECT_TRUE(auth.Login("rad1", "secret", kPeer, audit_).ok());
}

// Successful logins and a busy hasher are not failures of the address.
// Successful logins never count against an address; wrong ones and ones turned away
// because every password check is busy do: a flood from one address that keeps the
// checks busy is throttled (429) instead of holding them, and everyone's logins, forever.
TEST_F(AuthServiceTest, FailedAndTurnedAwayLoginsCountAgainstAnAddress) {
  auto created = AuthService::Create(users_, hasher_, clock_, std::chrono::hours(1),
                                     {3, std::chrono::seconds(60), 2, std::chrono::seconds(60)});
  ASSERT_TRUE(created.ok());
  for (int i = 0; i < 5; ++i) EXPECT_TRUE((*created)->Login("rad1", "secret", kPeer, audit_).ok());
  hasher_.busy = true;
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ((*created)->Login("rad1", "secret", kPeer, audit_).status().code(),
              StatusCode::kResourceExhausted);
  hasher_.busy = false;
  EXPECT_EQ((*created)->Login("rad1", "secret", kPeer, audit_).status().code(),
            StatusCode::kTooManyRequests);
  // Another address is not affected; the window passes for this one.
  EXPECT_TRUE((*created)->Login("rad1", "secret", "192.0.2.77", audit_).ok());
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_TRUE((*created)->Login("rad1", "secret", kPeer, audit_).ok());
}

}  // namespace
}  // namespace telerad
