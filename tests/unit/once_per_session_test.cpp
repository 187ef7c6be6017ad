#include "src/audit/once_per_session.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "tests/unit/fake_clock.h"

namespace telerad {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

TEST(OncePerSessionTest, RepeatsOfOnePairAreNotFirst) {
  FakeClock clock;
  OncePerSession seen(clock, hours(12));
  EXPECT_TRUE(seen.FirstAccess("session-a", "1.2.3"));
  for (int i = 0; i < 500; ++i) EXPECT_FALSE(seen.FirstAccess("session-a", "1.2.3"));
  EXPECT_EQ(seen.size(), 1u);
}

TEST(OncePerSessionTest, AnotherSessionOrObjectIsFirst) {
  FakeClock clock;
  OncePerSession seen(clock, hours(12));
  EXPECT_TRUE(seen.FirstAccess("session-a", "1.2.3"));
  EXPECT_TRUE(seen.FirstAccess("session-b", "1.2.3"));
  EXPECT_TRUE(seen.FirstAccess("session-a", "1.2.4"));
  // The pair is the key, not the concatenation of its parts.
  EXPECT_TRUE(seen.FirstAccess("session-a1", ".2.3"));
  EXPECT_FALSE(seen.FirstAccess("session-b", "1.2.3"));
}

TEST(OncePerSessionTest, APairOlderThanTheSessionLifetimeIsFirstAgain) {
  FakeClock clock;
  OncePerSession seen(clock, seconds(3600));
  EXPECT_TRUE(seen.FirstAccess("s", "study"));
  clock.Advance(seconds(3599));
  EXPECT_FALSE(seen.FirstAccess("s", "study"));  // a repeat does not extend its age
  clock.Advance(seconds(1));
  EXPECT_TRUE(seen.FirstAccess("s", "study"));
  EXPECT_FALSE(seen.FirstAccess("s", "study"));
}

TEST(OncePerSessionTest, ExpiredPairsAreDropped) {
  FakeClock clock;
  OncePerSession seen(clock, seconds(60));
  for (int i = 0; i < 100; ++i) seen.FirstAccess("s", std::to_string(i));
  EXPECT_EQ(seen.size(), 100u);
  clock.Advance(seconds(61));
  EXPECT_TRUE(seen.FirstAccess("t", "x"));
  EXPECT_EQ(seen.size(), 1u);
}

TEST(OncePerSessionTest, CapacityForgetsTheLeastRecentlyUsed) {
  FakeClock clock;
  OncePerSession seen(clock, hours(12), 3);
  EXPECT_TRUE(seen.FirstAccess("s", "a"));
  EXPECT_TRUE(seen.FirstAccess("s", "b"));
  EXPECT_TRUE(seen.FirstAccess("s", "c"));
  EXPECT_FALSE(seen.FirstAccess("s", "a"));  // a is now the most recently used
  EXPECT_TRUE(seen.FirstAccess("s", "d"));   // b goes
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_FALSE(seen.FirstAccess("s", "a"));
  EXPECT_FALSE(seen.FirstAccess("s", "c"));
  EXPECT_FALSE(seen.FirstAccess("s", "d"));
  EXPECT_TRUE(seen.FirstAccess("s", "b"));  // forgotten: one more row, never one fewer
}

TEST(OncePerSessionTest, ConcurrentFirstAccessesHaveOneWinner) {
  FakeClock clock;
  OncePerSession seen(clock, hours(12));
  for (int round = 0; round < 50; ++round) {
    std::atomic<int> firsts{0};
    std::vector<std::thread> threads;
    const std::string object = "study-" + std::to_string(round);
    for (int t = 0; t < 8; ++t)
      threads.emplace_back([&] {
        if (seen.FirstAccess("s", object)) ++firsts;
      });
    for (auto& t : threads) t.join();
    EXPECT_EQ(firsts.load(), 1);
  }
}

}  // namespace
}  // namespace telerad
