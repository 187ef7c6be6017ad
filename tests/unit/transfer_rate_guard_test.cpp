#include "dicom/transfer_rate_guard.h"

#include <gtest/gtest.h>

namespace telerad::dicom {
namespace {

using namespace std::chrono_literals;
using Sample = TransferRateGuard::Sample;

class TransferRateGuardTest : public ::testing::Test {
 protected:
  // 1,000 bytes a second over 10-second windows.
  TransferRateGuard guard_{1000, 10s};
  TransferRateGuard::Clock::time_point t0_ = TransferRateGuard::Clock::now();

  bool At(std::chrono::milliseconds offset, uint64_t reception, uint64_t bytes, uint64_t unread = 0,
          bool receiving = true) {
    return guard_.TooSlow(t0_ + offset, Sample{reception, receiving, bytes, unread});
  }
};

TEST_F(TransferRateGuardTest, ADataSetBelowTheRateForTwoWindowsInARowIsTooSlow) {
  EXPECT_FALSE(At(0ms, 1, 5000));
  EXPECT_FALSE(At(9'900ms, 1, 5000 + 9000));    // the window is not over yet
  EXPECT_FALSE(At(10'000ms, 1, 5000 + 9999));   // one slow window: not yet
  EXPECT_FALSE(At(19'900ms, 1, 5000 + 15000));  // the second is not over yet
  EXPECT_TRUE(At(20'000ms, 1, 5000 + 15000));
  EXPECT_EQ(guard_.last_window_bytes(), 5001u);
}

TEST_F(TransferRateGuardTest, ALinkThatDropsOutForMostOfOneWindowAndCarriesOnIsNot) {
  EXPECT_FALSE(At(0ms, 1, 0));
  EXPECT_FALSE(At(10'000ms, 1, 2'000));  // 8 s without a byte, then 2 s at 1 KB/s
  EXPECT_FALSE(At(20'000ms, 1, 60'000));
  EXPECT_FALSE(At(30'000ms, 1, 61'000));  // slow again, but not twice in a row
  EXPECT_FALSE(At(40'000ms, 1, 120'000));
}

TEST_F(TransferRateGuardTest, ADataSetAtTheRateIsNot) {
  EXPECT_FALSE(At(0ms, 1, 0));
  for (int s = 1; s <= 60; ++s) EXPECT_FALSE(At(s * 1000ms, 1, s * 1000u)) << s;
}

TEST_F(TransferRateGuardTest, EachWindowIsJudgedOnItsOwn) {
  // A fast start does not buy a trickle afterwards.
  EXPECT_FALSE(At(0ms, 1, 0));
  EXPECT_FALSE(At(10'000ms, 1, 1'000'000));
  EXPECT_FALSE(At(20'000ms, 1, 1'000'002));
  EXPECT_TRUE(At(30'000ms, 1, 1'000'005));
  EXPECT_EQ(guard_.last_window_bytes(), 3u);
}

TEST_F(TransferRateGuardTest, TheWaitBetweenDataSetsIsNotJudged) {
  EXPECT_FALSE(At(0ms, 1, 0));
  EXPECT_FALSE(At(3'000ms, 1, 600'000));
  // Idle for 60 s between two data sets (no bytes), then a new one starts its own window.
  for (int s = 4; s < 64; ++s) EXPECT_FALSE(At(s * 1000ms, 1, 600'000, 0, false));
  EXPECT_FALSE(At(64'000ms, 2, 600'000));
  EXPECT_FALSE(At(74'000ms, 2, 600'000));
  EXPECT_TRUE(At(84'000ms, 2, 600'000));
}

TEST_F(TransferRateGuardTest, ANewDataSetStartsAfresh) {
  EXPECT_FALSE(At(0ms, 1, 0));
  EXPECT_FALSE(At(10'000ms, 1, 10));  // data set 1: one slow window
  // Data set 1 ended and data set 2 began between two samples: its count starts at 0.
  EXPECT_FALSE(At(11'000ms, 2, 100));
  EXPECT_FALSE(At(21'000ms, 2, 100 + 9000));
  EXPECT_TRUE(At(31'000ms, 2, 100 + 9000));
}

TEST_F(TransferRateGuardTest, BytesUnreadInAnySampleMakeTheWindowTheServersDelay) {
  EXPECT_FALSE(At(0ms, 1, 0));
  EXPECT_FALSE(At(10'000ms, 1, 100));  // one slow window
  // The worker was stalled (bytes waiting at 12 s) and drained just before the window
  // ended: the window is not the peer's, and the count of slow windows starts again.
  EXPECT_FALSE(At(12'000ms, 1, 200, 200));
  EXPECT_FALSE(At(20'000ms, 1, 300, 0));
  EXPECT_FALSE(At(30'000ms, 1, 400, 0));
  EXPECT_TRUE(At(40'000ms, 1, 500, 0));  // the next two windows are the peer's again
}

TEST_F(TransferRateGuardTest, ZeroSwitchesItOff) {
  TransferRateGuard off(0, 10s);
  EXPECT_FALSE(off.TooSlow(t0_, Sample{1, true, 0, 0}));
  EXPECT_FALSE(off.TooSlow(t0_ + 1h, Sample{1, true, 1, 0}));
  EXPECT_FALSE(off.TooSlow(t0_ + 2h, Sample{1, true, 2, 0}));
}

}  // namespace
}  // namespace telerad::dicom
