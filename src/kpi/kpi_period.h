// KPI periods: the calendar arithmetic of the ministry's reports.
//
// A period is a run of whole local days in the configured time zone (config time_zone,
// default Asia/Ulaanbaatar): "2025" (a year), "2025H1"/"2025H2" (half-years, the
// ministry's reporting unit), "2025Q2" (a quarter), "2025-05" (a month) or "2025-05-31"
// (a day). The KPI aggregates are keyed by local day, so a period is a day range; only
// the figures read from timestamps (turnaround) need the instants where its days begin
// and end, which the zone's rules give (LocalDayStart).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "date/date.h"
#include "src/base/status.h"

namespace telerad {

// How figures are grouped in time; the bucket of a day is the period of this grain that
// holds it.
enum class TimeGrain { kDay, kMonth, kQuarter, kHalf, kYear };

const char* ToString(TimeGrain grain);  // "day", "month", "quarter", "half", "year"
std::optional<TimeGrain> ParseTimeGrain(const std::string& text);

struct KpiPeriod {
  TimeGrain grain = TimeGrain::kDay;
  date::sys_days first;  // first local day
  date::sys_days last;   // last local day, inclusive

  // The canonical name: "2025", "2025H1", "2025Q2", "2025-05", "2025-05-31".
  std::string Name() const;
};

// Parses a period name; kInvalidArgument names the accepted forms.
Result<KpiPeriod> ParsePeriod(const std::string& text);

// The period of `grain` holding `day`.
KpiPeriod PeriodOf(TimeGrain grain, date::sys_days day);

// A calendar date "YYYY-MM-DD" (a valid day of the Gregorian calendar), or nullopt.
std::optional<date::sys_days> ParseDay(const std::string& text);
std::string FormatDay(date::sys_days day);

// The UTC instant at which local `day` begins in `zone` (an IANA name the caller has
// validated, e.g. by Config). Where a transition skips local midnight, the first instant
// of the day.
std::chrono::system_clock::time_point LocalDayStart(const std::string& zone, date::sys_days day);

// The local day of an instant in `zone`.
date::sys_days LocalDayOf(const std::string& zone, std::chrono::system_clock::time_point at);

// Fulfilment of a target in percent, rounded to one decimal, halves away from zero (the
// ministry's tables). Higher-is-better indicators: 100 * achieved / target. Lower-is-
// better ones (turnaround, breaches): 100 * target / achieved, and 100 when nothing was
// missed (achieved 0). nullopt without a positive target.
std::optional<double> FulfilmentPercent(double achieved, std::optional<double> target,
                                        bool higher_is_better);

// `value` rounded to `decimals` places, halves away from zero.
double RoundHalfAway(double value, int decimals);

}  // namespace telerad
