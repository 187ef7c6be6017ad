#include "api/json_common.h"

#include <gtest/gtest.h>

namespace telerad::api {
namespace {

TEST(JsonCommonTest, ParsesWhatItFormats) {
  auto t = ParseTime("2025-05-31T08:00:00.123Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatTime(*t), "2025-05-31T08:00:00.123Z");
}

// Found by tests/fuzz/query_params_fuzz: "0225-05-31" overflowed the nanosecond clock
// (UBSan: signed integer overflow in chrono), and sscanf let negative fields through.
TEST(JsonCommonTest, FuzzFoundYearsOutsideTheClockAndNegativeFieldsAreRefused) {
  for (const char* bad : {"0225-05-31", "0001-01-01", "1600-01-01", "9999-12-31", "+225-05-31",
                          "2025-05-31T-1:00:00Z", "2025-05-31T08:-1:00Z", "2025-05-31T08:00:-1Z"})
    EXPECT_FALSE(ParseTime(bad).has_value()) << bad;
  EXPECT_EQ(FormatTime(*ParseTime("1900-01-01")), "1900-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTime(*ParseTime("2199-12-31")), "2199-12-31T00:00:00.000Z");
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
