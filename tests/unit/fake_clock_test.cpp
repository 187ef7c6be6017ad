#include "tests/unit/fake_clock.h"

#include <gtest/gtest.h>

namespace telerad {
namespace {

TEST(FakeClockTest, StandsStillUntilAdvanced) {
  FakeClock clock;
  const TimePoint start = clock.Now();
  EXPECT_EQ(clock.Now(), start);
  clock.Advance(std::chrono::minutes(30));
  EXPECT_EQ(clock.Now() - start, std::chrono::minutes(30));
  EXPECT_EQ(clock.Elapsed(), std::chrono::minutes(30));
}

TEST(FakeClockTest, SettingTheWallClockLeavesElapsedAlone) {
  FakeClock clock;
  clock.SetNow(clock.Now() - std::chrono::hours(1));
  EXPECT_EQ(clock.Elapsed(), std::chrono::steady_clock::duration::zero());
}

TEST(SystemClockTest, FollowsTheOperatingSystem) {
  const TimePoint before = std::chrono::system_clock::now();
  const TimePoint now = SystemClock::Instance().Now();
  EXPECT_LE(before, now);
  EXPECT_LE(now - before, std::chrono::seconds(5));
}

}  // namespace
}  // namespace telerad
