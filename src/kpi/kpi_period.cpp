#include "src/kpi/kpi_period.h"

#include <cmath>
#include <cstdio>
#include <regex>

#include "date/tz.h"

namespace telerad {
namespace {

using date::days;
using date::month;
using date::year;
using date::year_month_day;

date::sys_days FirstOf(int y, unsigned m) { return date::sys_days(year(y) / month(m) / 1); }

date::sys_days LastOf(int y, unsigned m) { return date::sys_days(year(y) / month(m) / date::last); }

// The years a period may name: enough for any record, and keeps the arithmetic far from
// the library's limits.
bool PlausibleYear(int y) { return y >= 1900 && y <= 2999; }

}  // namespace

const char* ToString(TimeGrain grain) {
  switch (grain) {
    case TimeGrain::kDay:
      return "day";
    case TimeGrain::kMonth:
      return "month";
    case TimeGrain::kQuarter:
      return "quarter";
    case TimeGrain::kHalf:
      return "half";
    case TimeGrain::kYear:
      return "year";
  }
  return "day";
}

std::optional<TimeGrain> ParseTimeGrain(const std::string& text) {
  for (TimeGrain g : {TimeGrain::kDay, TimeGrain::kMonth, TimeGrain::kQuarter, TimeGrain::kHalf,
                      TimeGrain::kYear})
    if (text == ToString(g)) return g;
  return std::nullopt;
}

std::string KpiPeriod::Name() const {
  const year_month_day ymd(first);
  const int y = static_cast<int>(ymd.year());
  const unsigned m = static_cast<unsigned>(ymd.month());
  char out[32];
  switch (grain) {
    case TimeGrain::kYear:
      std::snprintf(out, sizeof out, "%04d", y);
      break;
    case TimeGrain::kHalf:
      std::snprintf(out, sizeof out, "%04dH%u", y, m <= 6 ? 1u : 2u);
      break;
    case TimeGrain::kQuarter:
      std::snprintf(out, sizeof out, "%04dQ%u", y, (m - 1) / 3 + 1);
      break;
    case TimeGrain::kMonth:
      std::snprintf(out, sizeof out, "%04d-%02u", y, m);
      break;
    case TimeGrain::kDay:
      return FormatDay(first);
  }
  return out;
}

KpiPeriod PeriodOf(TimeGrain grain, date::sys_days day) {
  const year_month_day ymd(day);
  const int y = static_cast<int>(ymd.year());
  const unsigned m = static_cast<unsigned>(ymd.month());
  switch (grain) {
    case TimeGrain::kYear:
      return {grain, FirstOf(y, 1), LastOf(y, 12)};
    case TimeGrain::kHalf: {
      const unsigned start = m <= 6 ? 1 : 7;
      return {grain, FirstOf(y, start), LastOf(y, start + 5)};
    }
    case TimeGrain::kQuarter: {
      const unsigned start = (m - 1) / 3 * 3 + 1;
      return {grain, FirstOf(y, start), LastOf(y, start + 2)};
    }
    case TimeGrain::kMonth:
      return {grain, FirstOf(y, m), LastOf(y, m)};
    case TimeGrain::kDay:
      break;
  }
  return {TimeGrain::kDay, day, day};
}

Result<KpiPeriod> ParsePeriod(const std::string& text) {
  static const std::regex kYear(R"((\d{4}))");
  static const std::regex kHalf(R"((\d{4})H([12]))");
  static const std::regex kQuarter(R"((\d{4})Q([1-4]))");
  static const std::regex kMonth(R"((\d{4})-(\d{2}))");
  std::smatch m;
  std::optional<KpiPeriod> period;
  auto year_of = [&m] { return std::stoi(m[1].str()); };
  if (std::regex_match(text, m, kYear) && PlausibleYear(year_of())) {
    period = PeriodOf(TimeGrain::kYear, FirstOf(year_of(), 1));
  } else if (std::regex_match(text, m, kHalf) && PlausibleYear(year_of())) {
    period = PeriodOf(TimeGrain::kHalf, FirstOf(year_of(), m[2] == "1" ? 1 : 7));
  } else if (std::regex_match(text, m, kQuarter) && PlausibleYear(year_of())) {
    const unsigned q = static_cast<unsigned>(std::stoi(m[2].str()));
    period = PeriodOf(TimeGrain::kQuarter, FirstOf(year_of(), (q - 1) * 3 + 1));
  } else if (std::regex_match(text, m, kMonth) && PlausibleYear(year_of())) {
    const int mon = std::stoi(m[2].str());
    if (mon >= 1 && mon <= 12)
      period = PeriodOf(TimeGrain::kMonth, FirstOf(year_of(), static_cast<unsigned>(mon)));
  } else if (auto day = ParseDay(text)) {
    period = PeriodOf(TimeGrain::kDay, *day);
  }
  if (!period)
    return Status::InvalidArgument(
        "period must be a year (2025), half-year (2025H1), quarter (2025Q2), month (2025-05) "
        "or day (2025-05-31)");
  return *period;
}

std::optional<date::sys_days> ParseDay(const std::string& text) {
  // By hand rather than with a regex: the KPI repository parses one day per result row.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](size_t from, size_t count) {
    int v = 0;
    for (size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  const year_month_day ymd(year(y), month(static_cast<unsigned>(m)),
                           date::day(static_cast<unsigned>(d)));
  if (!PlausibleYear(y) || !ymd.ok()) return std::nullopt;
  return date::sys_days(ymd);
}

std::string FormatDay(date::sys_days day) { return date::format("%F", day); }

std::chrono::system_clock::time_point LocalDayStart(const std::string& zone, date::sys_days day) {
  const date::time_zone* tz = date::locate_zone(zone);
  const date::local_days local(day.time_since_epoch());
  // earliest: an ambiguous midnight (clocks turned back) starts at its first occurrence;
  // a midnight skipped by a transition starts at the transition.
  return tz->to_sys(local, date::choose::earliest);
}

date::sys_days LocalDayOf(const std::string& zone, std::chrono::system_clock::time_point at) {
  const date::time_zone* tz = date::locate_zone(zone);
  const auto local = tz->to_local(at);
  return date::sys_days(date::floor<days>(local).time_since_epoch());
}

double RoundHalfAway(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;  // std::round rounds halves away from zero
}

std::optional<double> FulfilmentPercent(double achieved, std::optional<double> target,
                                        bool higher_is_better) {
  if (!target || !(*target > 0) || !std::isfinite(achieved)) return std::nullopt;
  // One division for the tenths of a percent, so an exact half (6.25 %) is not blurred by
  // a second rounding before it is rounded away from zero.
  if (higher_is_better) return std::round(achieved * 1000.0 / *target) / 10.0;
  if (achieved <= 0) return 100.0;
  return std::round(*target * 1000.0 / achieved) / 10.0;
}

}  // namespace telerad
