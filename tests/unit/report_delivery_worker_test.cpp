#include "src/reading/report_delivery_worker.h"

#include <gtest/gtest.h>

namespace telerad {
namespace {

TEST(RetryDelay, DoublesFromTheBaseUpToTheCap) {
  DeliveryPolicy p;
  p.retry_base = std::chrono::seconds(30);
  p.retry_max = std::chrono::seconds(3600);
  EXPECT_EQ(RetryDelay(p, 1).count(), 30);
  EXPECT_EQ(RetryDelay(p, 2).count(), 60);
  EXPECT_EQ(RetryDelay(p, 3).count(), 120);
  EXPECT_EQ(RetryDelay(p, 7).count(), 1920);
  EXPECT_EQ(RetryDelay(p, 8).count(), 3600);
  EXPECT_EQ(RetryDelay(p, 1000000).count(), 3600);  // no overflow after many failures
  EXPECT_EQ(RetryDelay(p, 0).count(), 30);
}

}  // namespace
}  // namespace telerad
