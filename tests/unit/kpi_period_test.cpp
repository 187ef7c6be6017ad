// Period arithmetic, time zones and percent rounding of the KPI reports.
#include "src/kpi/kpi_period.h"

#include <gtest/gtest.h>

#include "date/tz.h"

namespace telerad {
namespace {

using date::sys_days;
using namespace date::literals;

std::string Utc(std::chrono::system_clock::time_point t) {
  return date::format("%FT%TZ", date::floor<std::chrono::seconds>(t));
}

TEST(KpiPeriodTest, NamesParseToTheirDaysAndBack) {
  struct Case {
    const char* name;
    sys_days first, last;
  } cases[] = {
      {"2025", 2025_y / 1 / 1, 2025_y / 12 / 31},
      {"2025H1", 2025_y / 1 / 1, 2025_y / 6 / 30},
      {"2025H2", 2025_y / 7 / 1, 2025_y / 12 / 31},
      {"2025Q1", 2025_y / 1 / 1, 2025_y / 3 / 31},
      {"2024Q1", 2024_y / 1 / 1, 2024_y / 3 / 31},
      {"2025Q4", 2025_y / 10 / 1, 2025_y / 12 / 31},
      {"2024-02", 2024_y / 2 / 1, 2024_y / 2 / 29},  // leap year
      {"2025-02", 2025_y / 2 / 1, 2025_y / 2 / 28},
      {"2025-05-31", 2025_y / 5 / 31, 2025_y / 5 / 31},
  };
  for (const Case& c : cases) {
    auto p = ParsePeriod(c.name);
    ASSERT_TRUE(p.ok()) << c.name;
    EXPECT_EQ(p->first, c.first) << c.name;
    EXPECT_EQ(p->last, c.last) << c.name;
    EXPECT_EQ(p->Name(), c.name);
  }
}

TEST(KpiPeriodTest, BadNamesAreRefused) {
  for (const char* bad : {"", "2025H3", "2025Q0", "2025Q5", "2025-13", "2025-00", "2025-02-29",
                          "2024-02-30", "25H1", "2025h1", "2025-5", "1800", "2025H1 ", "H1"})
    EXPECT_EQ(ParsePeriod(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  EXPECT_TRUE(ParsePeriod("2024-02-29").ok());
}

TEST(KpiPeriodTest, TheBucketOfADayIsThePeriodHoldingIt) {
  const sys_days d = 2025_y / 5 / 31;
  EXPECT_EQ(PeriodOf(TimeGrain::kMonth, d).Name(), "2025-05");
  EXPECT_EQ(PeriodOf(TimeGrain::kQuarter, d).Name(), "2025Q2");
  EXPECT_EQ(PeriodOf(TimeGrain::kHalf, d).Name(), "2025H1");
  EXPECT_EQ(PeriodOf(TimeGrain::kHalf, sys_days(2025_y / 7 / 1)).Name(), "2025H2");
  EXPECT_EQ(PeriodOf(TimeGrain::kYear, d).Name(), "2025");
  EXPECT_EQ(PeriodOf(TimeGrain::kDay, d).Name(), "2025-05-31");
  EXPECT_EQ(ParseTimeGrain("half"), TimeGrain::kHalf);
  EXPECT_FALSE(ParseTimeGrain("week"));
}

TEST(KpiPeriodTest, LocalDaysBeginWhereTheZoneSays) {
  // Ulaanbaatar is UTC+8: its 2025 begins at 16:00 UTC on New Year's Eve.
  EXPECT_EQ(Utc(LocalDayStart("Asia/Ulaanbaatar", 2025_y / 1 / 1)), "2024-12-31T16:00:00Z");
  // Mongolia kept summer time (UTC+9) in 2015 and 2016: a day then began an hour earlier.
  EXPECT_EQ(Utc(LocalDayStart("Asia/Ulaanbaatar", 2016_y / 6 / 1)), "2016-05-31T15:00:00Z");
  EXPECT_EQ(Utc(LocalDayStart("UTC", 2025_y / 1 / 1)), "2025-01-01T00:00:00Z");
  // Where a transition skips midnight (Sao Paulo, 2018-11-04 00:00 -> 01:00), the day
  // begins at the transition.
  EXPECT_EQ(Utc(LocalDayStart("America/Sao_Paulo", 2018_y / 11 / 4)), "2018-11-04T03:00:00Z");

  const auto evening = date::sys_days(2025_y / 1 / 31) + std::chrono::hours(17);  // 17:00 UTC
  EXPECT_EQ(LocalDayOf("Asia/Ulaanbaatar", evening), sys_days(2025_y / 2 / 1));
  EXPECT_EQ(LocalDayOf("UTC", evening), sys_days(2025_y / 1 / 31));
}

TEST(KpiPeriodTest, FulfilmentIsRoundedToOneDecimalHalvesAwayFromZero) {
  EXPECT_EQ(FulfilmentPercent(2098, 2000.0, true), 104.9);
  EXPECT_EQ(FulfilmentPercent(26, 25.0, true), 104.0);
  EXPECT_EQ(FulfilmentPercent(1, 16.0, true), 6.3);  // 6.25 exactly: away from zero
  EXPECT_EQ(FulfilmentPercent(1, 3.0, true), 33.3);
  EXPECT_EQ(FulfilmentPercent(2, 3.0, true), 66.7);
  EXPECT_EQ(FulfilmentPercent(45, 260.0, true), 17.3);  // 17.307...
  EXPECT_EQ(FulfilmentPercent(0, 25.0, true), 0.0);
  // Lower is better: a 12 h median against an 8 h target fulfils two thirds.
  EXPECT_EQ(FulfilmentPercent(12, 8.0, false), 66.7);
  EXPECT_EQ(FulfilmentPercent(4, 8.0, false), 200.0);
  EXPECT_EQ(FulfilmentPercent(0, 5.0, false), 100.0);
  // No target, or a target of zero: no percent.
  EXPECT_FALSE(FulfilmentPercent(10, std::nullopt, true));
  EXPECT_FALSE(FulfilmentPercent(10, 0.0, true));
  EXPECT_EQ(RoundHalfAway(2.345, 1), 2.3);  // 2.345 is below the half in binary
  EXPECT_EQ(RoundHalfAway(0.125, 2), 0.13);
  EXPECT_EQ(RoundHalfAway(-0.125, 2), -0.13);
}

}  // namespace
}  // namespace telerad
