#include "src/base/periodic_thread.h"

#include <gtest/gtest.h>

#include <atomic>

namespace telerad {
namespace {

TEST(PeriodicThread, RunsAtOnceThenEveryPeriodAndStopsPromptly) {
  std::atomic<int> runs{0};
  PeriodicThread thread(std::chrono::milliseconds(20), [&] { ++runs; });
  thread.Start();
  while (runs.load() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto before_stop = std::chrono::steady_clock::now();
  thread.Stop();
  EXPECT_TRUE(thread.Stopping());
  // Stop wakes the wait instead of sleeping out the period.
  EXPECT_LT(std::chrono::steady_clock::now() - before_stop, std::chrono::milliseconds(500));
  const int after = runs.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  EXPECT_EQ(runs.load(), after);  // nothing runs once stopped
  thread.Stop();                  // idempotent
}

TEST(PeriodicThread, StopWithALongPeriodDoesNotWaitItOut) {
  PeriodicThread thread(std::chrono::hours(1), [] {});
  thread.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto before_stop = std::chrono::steady_clock::now();
  thread.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before_stop, std::chrono::milliseconds(500));
}

}  // namespace
}  // namespace telerad
