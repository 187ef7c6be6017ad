#include "src/accounts/address_throttle.h"

#include <gtest/gtest.h>

#include "tests/unit/fake_clock.h"

namespace telerad {
namespace {

TEST(AddressThrottleTest, RefusesFromTheNthFailureWithinTheWindow) {
  FakeClock clock;
  AddressThrottle throttle(clock, 3, std::chrono::seconds(60));
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(throttle.Allows("10.0.0.1"));
    throttle.RecordFailure("10.0.0.1");
  }
  EXPECT_FALSE(throttle.Allows("10.0.0.1"));
  EXPECT_TRUE(throttle.Allows("10.0.0.2"));
}

// A sliding window, not a fixed one: each failure stops counting exactly `window` after
// it, so the address gets one attempt back per expired failure.
TEST(AddressThrottleTest, FailuresExpireOneByOne) {
  FakeClock clock;
  AddressThrottle throttle(clock, 2, std::chrono::seconds(60));
  throttle.RecordFailure("a");
  clock.Advance(std::chrono::seconds(30));
  throttle.RecordFailure("a");
  EXPECT_FALSE(throttle.Allows("a"));
  clock.Advance(std::chrono::seconds(29));
  EXPECT_FALSE(throttle.Allows("a"));
  clock.Advance(std::chrono::seconds(1));  // the first is 60 s old
  EXPECT_TRUE(throttle.Allows("a"));
  throttle.RecordFailure("a");
  EXPECT_FALSE(throttle.Allows("a"));
  clock.Advance(std::chrono::seconds(60));
  EXPECT_TRUE(throttle.Allows("a"));
}

// Failures kept on refusal (more than max) do not lengthen the wait past the window.
TEST(AddressThrottleTest, HammeringDoesNotExtendTheWaitPastTheWindow) {
  FakeClock clock;
  AddressThrottle throttle(clock, 2, std::chrono::seconds(10));
  for (int i = 0; i < 100; ++i) throttle.RecordFailure("a");
  EXPECT_FALSE(throttle.Allows("a"));
  clock.Advance(std::chrono::seconds(10));
  EXPECT_TRUE(throttle.Allows("a"));
}

// The table is bounded: addresses beyond kMaxAddresses push out the quiet ones, and the
// throttle keeps working for a new address afterwards.
TEST(AddressThrottleTest, TableStaysBoundedUnderManyAddresses) {
  FakeClock clock;
  AddressThrottle throttle(clock, 1, std::chrono::seconds(10));
  for (size_t i = 0; i < AddressThrottle::kMaxAddresses; ++i)
    throttle.RecordFailure("old" + std::to_string(i));
  clock.Advance(std::chrono::seconds(10));
  for (size_t i = 0; i < AddressThrottle::kMaxAddresses + 10; ++i)
    throttle.RecordFailure("new" + std::to_string(i));
  throttle.RecordFailure("last");
  EXPECT_FALSE(throttle.Allows("last"));
  EXPECT_TRUE(throttle.Allows("old0"));
}

}  // namespace
}  // namespace telerad
