#include "src/accounts/auth_service.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "src/accounts/sodium_password_hasher.h"

namespace telerad {
namespace {

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

class FakeUsers : public UserRepository {
 public:
  Result<std::optional<UserRecord>> FindByUsername(const std::string& name) override {
    auto it = users.find(name);
    if (it == users.end()) return std::optional<UserRecord>();
    return std::optional<UserRecord>(it->second);
  }
  Result<UserRecord> CreateIfAbsent(const UserRecord& u) override { return users[u.username] = u; }
  Status CreateSession(const std::string& digest, int64_t user_id, const std::string&,
                       TimePoint) override {
    sessions[digest] = user_id;
    return Status::Ok();
  }
  Result<std::optional<Principal>> FindSession(const std::string& digest) override {
    ++session_lookups;
    auto it = sessions.find(digest);
    if (it == sessions.end()) return std::optional<Principal>();
    Principal p;
    p.user_id = it->second;
    return std::optional<Principal>(p);
  }
  Result<int> CountDemoUsers() override { return 0; }
  Status RevokeSession(const std::string& digest) override {
    sessions.erase(digest);
    return Status::Ok();
  }
  // The lockout rule is SQL in the real repository; here only "locked after max failures".
  Result<std::optional<TimePoint>> LockedUntil(const std::string& name) override {
    if (failures[name] >= max_seen) return std::optional<TimePoint>(TimePoint::max());
    return std::optional<TimePoint>();
  }
  Status RecordFailedLogin(const std::string& name, int max_failures,
                           std::chrono::seconds) override {
    max_seen = max_failures;
    ++failures[name];
    return Status::Ok();
  }
  Status ClearFailedLogins(const std::string& name) override {
    failures.erase(name);
    return Status::Ok();
  }
  Result<std::vector<UserRecord>> List() override { return std::vector<UserRecord>(); }
  Result<UserRecord> Create(const UserRecord& u) override { return users[u.username] = u; }
  Result<UserRecord> Update(const std::string& name, std::optional<bool>,
                            std::optional<std::string>) override {
    return users[name];
  }
  std::map<std::string, UserRecord> users;
  std::map<std::string, int64_t> sessions;
  std::map<std::string, int> failures;
  int max_seen = 1 << 30;
  int session_lookups = 0;
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
    auto created =
        AuthService::Create(users_, hasher_, std::chrono::hours(1), {3, std::chrono::seconds(60)});
    ASSERT_TRUE(created.ok());
    auth_ = std::move(*created);
  }
  FakeUsers users_;
  FakeHasher hasher_;
  std::unique_ptr<AuthService> auth_;
};

TEST_F(AuthServiceTest, LoginGivesATokenStoredOnlyAsADigest) {
  auto login = auth_->Login("rad1", "secret");
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
  EXPECT_EQ(auth_->Login("nobody", "secret").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(auth_->Login("rad1", "wrong").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(hasher_.verifications - before, 2);
}

TEST_F(AuthServiceTest, DisabledAccountCannotLogIn) {
  users_.users["rad1"].active = false;
  EXPECT_EQ(auth_->Login("rad1", "secret").status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, BusyHasherSaysComeBackLater) {
  hasher_.busy = true;
  EXPECT_EQ(auth_->Login("rad1", "secret").status().code(), StatusCode::kResourceExhausted);
}

TEST_F(AuthServiceTest, RepeatedFailuresLockTheNameWithoutHashing) {
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(auth_->Login("rad1", "wrong").status().code(), StatusCode::kUnauthenticated);
  const int before = hasher_.verifications;
  // Locked: even the right password is refused, and no hash is spent on it.
  EXPECT_EQ(auth_->Login("rad1", "secret").status().code(), StatusCode::kTooManyRequests);
  EXPECT_EQ(hasher_.verifications, before);
  // Unknown names are counted the same way, so a lockout does not reveal that a name exists.
  for (int i = 0; i < 3; ++i) (void)auth_->Login("nobody", "x");
  EXPECT_EQ(auth_->Login("nobody", "x").status().code(), StatusCode::kTooManyRequests);
}

TEST_F(AuthServiceTest, SuccessClearsTheFailureCount) {
  (void)auth_->Login("rad1", "wrong");
  (void)auth_->Login("rad1", "wrong");
  ASSERT_TRUE(auth_->Login("rad1", "secret").ok());
  EXPECT_EQ(users_.failures.count("rad1"), 0u);
}

TEST_F(AuthServiceTest, LogoutEndsTheSession) {
  auto login = auth_->Login("rad1", "secret");
  ASSERT_TRUE(login.ok());
  ASSERT_TRUE(auth_->Logout(login->token).ok());
  EXPECT_EQ(auth_->Authenticate(login->token).status().code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(auth_->Logout("unknown").ok());
}

// With session_cache a valid token is looked up once per period, a refused one every
// time; a revoked session passes until the period ends, then fails.
TEST_F(AuthServiceTest, SessionCacheTrustsAValidTokenForItsPeriodOnly) {
  auto cached =
      AuthService::Create(users_, hasher_, std::chrono::hours(1), {}, std::chrono::seconds(1));
  ASSERT_TRUE(cached.ok());
  auto login = (*cached)->Login("rad1", "secret");
  ASSERT_TRUE(login.ok());
  const int before = users_.session_lookups;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE((*cached)->Authenticate(login->token).ok());
  EXPECT_EQ(users_.session_lookups - before, 1);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ((*cached)->Authenticate("forged").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(users_.session_lookups - before, 4);

  users_.sessions.clear();  // revoked
  EXPECT_TRUE((*cached)->Authenticate(login->token).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ((*cached)->Authenticate(login->token).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, WithoutSessionCacheEveryRequestLooksItsSessionUp) {
  auto login = auth_->Login("rad1", "secret");
  ASSERT_TRUE(login.ok());
  const int before = users_.session_lookups;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(auth_->Authenticate(login->token).ok());
  EXPECT_EQ(users_.session_lookups - before, 3);
  users_.sessions.clear();
  EXPECT_EQ(auth_->Authenticate(login->token).status().code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace telerad
