// Failed-login counting on a real PostgreSQL, the rule tests/unit/auth_service_test.cpp's
// fake mirrors: the count survives a lock as long as the 15-minute window (a lock ends,
// the name fails again, and the doubling goes on), and is forgotten only 15 quiet minutes
// after the lock ended. Time is moved by ageing the row, since the SQL reads now().
#include "src/pg/pg_user_repository.h"

#include <gtest/gtest.h>

#include "src/pg/pg_migrator.h"
#include "src/pg/pg_pool.h"
#include "tests/integration/harness.h"

namespace telerad {
namespace {

using std::chrono::seconds;

class PgUserRepositoryTest : public ::testing::Test {
 protected:
  PgUserRepositoryTest() : pool_(db_.url(), 2, 5000), users_(pool_) {}
  void SetUp() override { ASSERT_TRUE(PgMigrator(pool_, testing::SchemaDir()).Apply().ok()); }
  // Moves the name's last failure and lock end `minutes` and `lock_minutes` into the past.
  void Age(int minutes, int lock_minutes) {
    db_.Scalar("UPDATE login_failure SET last_at = now() - interval '" + std::to_string(minutes) +
               " minutes', locked_until = now() - interval '" + std::to_string(lock_minutes) +
               " minutes' WHERE username = 'rad1' RETURNING 1");
  }
  std::string Failures() {
    return db_.Scalar("SELECT failures FROM login_failure WHERE username = 'rad1'");
  }
  // Seconds the name is locked for from now, rounded; 0 when not locked.
  int LockSeconds() {
    auto until = users_.LockedUntil("rad1");
    EXPECT_TRUE(until.ok());
    if (!until.ok() || !until->has_value()) return 0;
    return static_cast<int>(
        std::chrono::round<seconds>(**until - std::chrono::system_clock::now()).count());
  }
  testing::TestDatabase db_;
  PgPool pool_;
  PgUserRepository users_;
};

TEST_F(PgUserRepositoryTest, FailuresOutlastTheLongestLock) {
  const seconds lockout_max(900);
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(users_.RecordFailedLogin("rad1", 3, lockout_max).ok());
  EXPECT_EQ(Failures(), "8");
  EXPECT_EQ(LockSeconds(), 900);  // 30 s * 2^5 = 960, capped
  // The 900 s lock ended a minute ago, 16 minutes after the last failure: the name
  // fails again and is locked for the longest time again, not for 30 s or not at all.
  Age(16, 1);
  ASSERT_TRUE(users_.RecordFailedLogin("rad1", 3, lockout_max).ok());
  EXPECT_EQ(Failures(), "9");
  EXPECT_EQ(LockSeconds(), 900);
  // Fifteen quiet minutes after the lock ended, the count starts again.
  Age(31, 16);
  ASSERT_TRUE(users_.RecordFailedLogin("rad1", 3, lockout_max).ok());
  EXPECT_EQ(Failures(), "1");
  EXPECT_EQ(LockSeconds(), 0);
}

// ForgetQuietFailedLogins deletes exactly the rows RecordFailedLogin would restart at 1,
// whose locks have ended: their names are not kept longer than they protect an account.
TEST_F(PgUserRepositoryTest, OnlyFailuresThatNoLongerCountAreForgotten) {
  for (const char* name : {"rad1", "quiet", "recent", "locked"})
    ASSERT_TRUE(users_.RecordFailedLogin(name, 3, seconds(900)).ok());
  auto age = [&](const char* name, const char* last_at, const char* locked_until) {
    db_.Scalar(std::string("UPDATE login_failure SET last_at = now() - interval '") + last_at +
               "', locked_until = " + locked_until + " WHERE username = '" + name +
               "' RETURNING 1");
  };
  age("quiet", "16 minutes", "NULL");
  age("recent", "14 minutes", "NULL");
  age("locked", "40 minutes", "now() + interval '1 minute'");  // a lock still running
  age("rad1", "40 minutes", "now() - interval '16 minutes'");  // ended 16 minutes ago
  auto forgotten = users_.ForgetQuietFailedLogins();
  ASSERT_TRUE(forgotten.ok()) << forgotten.status().ToString();
  EXPECT_EQ(*forgotten, 2);
  EXPECT_EQ(db_.Scalar("SELECT string_agg(username, ',' ORDER BY username) FROM login_failure"),
            "locked,recent");
  EXPECT_EQ(*users_.ForgetQuietFailedLogins(), 0);
}

}  // namespace
}  // namespace telerad
