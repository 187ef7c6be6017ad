#include "api/json_common.h"

#include <gtest/gtest.h>

namespace telerad::api {
namespace {

TEST(JsonCommonTest, ParsesWhatItFormats) {
  auto t = ParseTime("2025-05-31T08:00:00.123Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatTime(*t), "2025-05-31T08:00:00.123Z");
}

TEST(JsonCommonTest, AcceptsDatesAndOffsets) {
  EXPECT_EQ(FormatTime(*ParseTime("2025-01-02")), "2025-01-02T00:00:00.000Z");
  EXPECT_EQ(FormatTime(*ParseTime("2025-05-31T16:00:00+08:00")), "2025-05-31T08:00:00.000Z");
  EXPECT_EQ(FormatTime(*ParseTime("2025-05-31T08:00:00Z")), "2025-05-31T08:00:00.000Z");
}

TEST(JsonCommonTest, RejectsMalformedTimes) {
  for (const char* bad :
       {"", "2025-13-01", "2025-02-30", "2025-05-31T08:00:00", "2025-05-31T8:00:00Z",
        "2025-05-31T08:00:00.Z", "2025-05-31 08:00:00Z", "yesterday", "2025-05-31T08:00:00Zjunk"})
    EXPECT_FALSE(ParseTime(bad).has_value()) << bad;
}

}  // namespace
}  // namespace telerad::api
