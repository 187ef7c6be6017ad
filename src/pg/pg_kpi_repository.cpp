#include "src/pg/pg_kpi_repository.h"

#include <algorithm>
#include <array>
#include <future>
#include <map>
#include <optional>
#include <unordered_map>
#include <variant>
#include <vector>

#include "src/kpi/kpi_answer_flights.h"
#include "src/kpi/kpi_figures_cache.h"
#include "src/kpi/kpi_histogram.h"
#include "src/kpi/kpi_tally.h"
#include "src/pg/pg_pool.h"
#include "src/pg/pg_row.h"

namespace telerad {
namespace {

// The bucket (its first day, a date) of the local day `day_expr` for a time grain; NULL
// when figures are not grouped in time.
std::string TimeBucket(const std::optional<TimeGrain>& grain, const std::string& day_expr) {
  if (!grain) return "NULL::date";
  switch (*grain) {
    case TimeGrain::kDay:
      return day_expr;
    case TimeGrain::kMonth:
      return "date_trunc('month', " + day_expr + ")::date";
    case TimeGrain::kQuarter:
      return "date_trunc('quarter', " + day_expr + ")::date";
    case TimeGrain::kHalf:
      return "make_date(extract(year FROM " + day_expr + ")::int, CASE WHEN extract(month FROM " +
             day_expr + ") <= 6 THEN 1 ELSE 7 END, 1)";
    case TimeGrain::kYear:
      return "date_trunc('year', " + day_expr + ")::date";
  }
  return "NULL::date";
}

// Whether a group's time bucket tells the part of the window it belongs to (the month of
// its days: kpi_figures_cache.h, KpiPartsOf): grouped by day or by month.
bool PartInTime(const KpiDimensions& dims) {
  return dims.time == TimeGrain::kDay || dims.time == TimeGrain::kMonth;
}

// The key columns t (a date), fc, fn, aimag, mc of every figures query: a dimension not
// asked for is a constant, so one GROUP BY serves every shape. Only these fixed
// fragments are ever put into the SQL text; values travel as parameters.
std::string KeyColumns(const KpiDimensions& dims, const std::string& day_expr,
                       const std::string& class_expr) {
  return TimeBucket(dims.time, day_expr) + " AS t, " + (dims.facility ? "f.code" : "''::text") +
         " AS fc, " + (dims.facility ? "f.name" : "''::text") + " AS fn, " +
         (dims.aimag ? "f.aimag" : "''::text") + " AS aimag, " +
         (dims.modality ? class_expr : "''::text") + " AS mc";
}

date::sys_days MonthStart(date::sys_days day) {
  const date::year_month_day ymd(day);
  return date::sys_days(ymd.year() / ymd.month() / 1);
}

// The outer query's key: the date formatted once per group, not once per row.
constexpr const char* kOuterKey = "to_char(t, 'YYYY-MM-DD') AS t, fc, fn, aimag, mc";

constexpr const char* kFacilityFilter =
    " AND ($3 = '' OR f.code = $3) AND ($4 = '' OR f.aimag = $4)";

// Every figures query begins with the key columns t, fc, fn, aimag, mc (kOuterKey), read
// by position: a lookup by name costs a search of the column names per field, which
// showed in the profile of a year's month x aimag figures (tens of thousands of rows).
KpiGroupKey KeyOf(const pqxx::row& r) {
  KpiGroupKey key;
  if (!r[0].is_null()) key.time = ParseDay(r[0].c_str());
  key.facility_code = r[1].c_str();
  key.facility_name = r[2].c_str();
  key.aimag = r[3].c_str();
  key.modality_class = r[4].c_str();
  return key;
}

int64_t Count(const pqxx::field& f) { return f.is_null() ? 0 : f.as<int64_t>(); }

// The tallies of `filter`'s window read with three statements in `txn`: with
// `month_by_month` (only where the time bucket tells the month: PartInTime) one part per
// month, else one part under the window's first month. Parts are not a column of the
// statements: grouping by the month as well cost a half-year's facility x class figures
// 364 ms instead of 116, a year by day 761 instead of 487 (bench/README.md, "KPI").
std::map<date::sys_days, KpiTallies> TallyParts(pqxx::work& txn, const KpiDimensions& dims,
                                                const KpiFilter& filter, bool month_by_month) {
  const std::string first = FormatDay(filter.first), last = FormatDay(filter.last);
  // A window is read as its whole local months (the monthly tables of schema 0007) and
  // the days before the first and after the last of them (the daily tables, and for
  // turnaround the signed studies' index). Grouped by day, or without a whole month,
  // every day is such an edge day.
  date::sys_days months_from = MonthStart(filter.first);
  if (months_from < filter.first)
    months_from = date::sys_days(date::year_month_day(months_from) + date::months(1));
  date::sys_days months_to = MonthStart(filter.last + date::days(1));  // exclusive
  if (dims.time == TimeGrain::kDay || months_from >= months_to)
    months_from = months_to = filter.last + date::days(1);
  const auto hist_start = LocalDayStart(filter.time_zone, months_from);
  const auto hist_end = LocalDayStart(filter.time_zone, months_to);

  // Rows of a daily or monthly table `table` (alias k, time column `time`) in `range`,
  // with the group's key columns, the facility, and `columns`.
  auto source = [&](const std::string& table, const std::string& time,
                    const std::string& class_expr, const std::string& columns,
                    const std::string& range) {
    return "SELECT " + KeyColumns(dims, "k." + time, class_expr) + ", k.facility_id, f.active, " +
           columns + " FROM " + table + " k JOIN facility f ON f.id = k.facility_id WHERE " +
           range + kFacilityFilter;
  };
  auto sources = [&](const std::string& name, const std::string& class_expr,
                     const std::string& columns) {
    return source(name + "_monthly", "month", class_expr, columns,
                  // $5 (the zone) is the turnaround query's; named so that it has a type
                  "k.month >= $6::date AND k.month < $7::date AND $5::text IS NOT NULL") +
           " UNION ALL " +
           source(name + "_daily", "day", class_expr, columns,
                  "k.day >= $1::date AND k.day < $6::date") +
           " UNION ALL " +
           source(name + "_daily", "day", class_expr, columns,
                  "k.day >= $7::date AND k.day <= $2::date");
  };
  // Counts: one row per group and facility (hashed, a few hundred rows); the server sums
  // the groups and the totals and counts the distinct facilities of each.
  const std::string study_sql =
      std::string("SELECT ") + kOuterKey +
      ", facility_id, active, sum(received) AS received,"
      " sum(diagnosed) FILTER (WHERE cls = 'CT') AS ct,"
      " sum(diagnosed) FILTER (WHERE cls = 'XRAY') AS xray,"
      " sum(diagnosed) FILTER (WHERE cls = 'OTHER') AS other FROM (" +
      sources("kpi_study", "k.modality_class", "k.modality_class AS cls, k.received, k.diagnosed") +
      ") r GROUP BY r.t, fc, fn, aimag, mc, facility_id, active";
  const std::string consultation_sql =
      std::string("SELECT ") + kOuterKey +
      ", facility_id, active, sum(booked) AS booked, sum(completed) AS completed,"
      " sum(cancelled) AS cancelled, sum(no_show) AS no_show FROM (" +
      sources("kpi_consultation", "''::text", "k.booked, k.completed, k.cancelled, k.no_show") +
      ") r GROUP BY r.t, fc, fn, aimag, mc, facility_id, active";

  // Turnaround: the histogram of the whole months, plus the signed studies of the edge
  // days, bucketed the same way.
  const std::string signed_studies =
      "SELECT " + KeyColumns(dims, "(s.reported_at AT TIME ZONE $5)::date", "s.modality_class") +
      ", s.priority, kpi_turnaround_bucket(extract(epoch FROM s.reported_at - s.ready_at))"
      " AS bucket, 1 AS n,"
      " (s.sla_due_at IS NOT NULL AND s.reported_at > s.sla_due_at)::int AS b"
      " FROM study s JOIN facility f ON f.id = s.facility_id"
      " WHERE s.status = 'reported' AND s.ready_at IS NOT NULL"
      " AND s.reported_at >= 'epoch'::timestamptz + $%1 * interval '1 microsecond'"
      " AND s.reported_at < 'epoch'::timestamptz + $%2 * interval '1 microsecond'" +
      std::string(kFacilityFilter);
  auto edge = [&](const char* from_param, const char* to_param) {
    std::string sql = signed_studies;
    sql.replace(sql.find("$%1"), 3, from_param);
    sql.replace(sql.find("$%2"), 3, to_param);
    return sql;
  };
  const std::string turnaround_sql =
      std::string("SELECT ") + kOuterKey + ", priority, bucket, sum(n) AS n, sum(b) AS breaches" +
      " FROM (SELECT " + KeyColumns(dims, "h.month", "h.modality_class") +
      ", h.priority, h.bucket, h.signed AS n, h.breaches AS b"
      " FROM kpi_turnaround_monthly h JOIN facility f ON f.id = h.facility_id"
      " WHERE h.month >= $6::date AND h.month < $7::date AND $5::text IS NOT NULL" +
      std::string(kFacilityFilter) + " UNION ALL " + edge("$1", "$8") + " UNION ALL " +
      edge("$9", "$2") + ") x GROUP BY x.t, fc, fn, aimag, mc, priority, bucket";
  // Without a facility or aimag, in the key or the filter, the national histograms of
  // schema 0016 answer alone: whole months from the monthly one, edge days from the daily
  // one (a year by day at 400,000 studies: 47,385 rows instead of every signature of
  // the year). Rows that signatures withdrawn since left at zero are no group.
  const bool national =
      !dims.facility && !dims.aimag && filter.facility_code.empty() && filter.aimag.empty();
  const std::string national_sql =
      std::string("SELECT ") + kOuterKey + ", priority, bucket, sum(n) AS n, sum(b) AS breaches" +
      " FROM (SELECT " + KeyColumns(dims, "h.month", "h.modality_class") +
      ", h.priority, h.bucket, h.signed AS n, h.breaches AS b"
      " FROM kpi_turnaround_national_monthly h"
      " WHERE h.month >= $3::date AND h.month < $4::date AND h.signed <> 0 UNION ALL SELECT " +
      KeyColumns(dims, "h.day", "h.modality_class") +
      ", h.priority, h.bucket, h.signed, h.breaches FROM kpi_turnaround_national_daily h"
      " WHERE (h.day >= $1::date AND h.day < $3::date OR h.day >= $4::date AND h.day <= $2::date)"
      " AND h.signed <> 0) x GROUP BY x.t, fc, fn, aimag, mc, priority, bucket";

  const bool grouped = dims.time || dims.facility || dims.aimag || dims.modality;
  std::map<date::sys_days, KpiTallies> parts;
  // A row's part and group by its raw key text (the five key columns): one
  // hash lookup per row instead of building and comparing a KpiGroupKey (the turnaround
  // rows of a year by month and aimag are some 27,000).
  struct Place {
    KpiFiguresTally* totals;
    KpiFiguresTally* group;  // null when not grouped
  };
  std::unordered_map<std::string, Place> by_raw_key;
  std::string raw;
  auto place_of = [&](const pqxx::row& r, bool into_group) -> Place {
    raw.clear();
    for (pqxx::row::size_type i = 0; i < 5; ++i) {
      raw += r[i].is_null() ? "\x1e" : r[i].c_str();
      raw += '\x1f';
    }
    raw += into_group ? 'g' : 't';
    auto it = by_raw_key.find(raw);
    if (it == by_raw_key.end()) {
      const date::sys_days part =
          month_by_month ? MonthStart(*ParseDay(r[0].c_str())) : MonthStart(filter.first);
      KpiTallies& tallies = parts[part];
      // A row that counts in the totals only makes no group (not even an empty one).
      KpiFiguresTally* group = grouped && into_group ? &tallies.groups[KeyOf(r)] : nullptr;
      it = by_raw_key.emplace(raw, Place{&tallies.totals, group}).first;
    }
    return it->second;
  };
  const std::string from_month = FormatDay(months_from), to_month = FormatDay(months_to);
  // Columns after the key, by position: studies (facility_id, active, received, ct, xray,
  // other), consultations (facility_id, active, booked, completed, cancelled, no_show),
  // turnaround (priority, bucket, n, breaches).
  for (const pqxx::row& r : txn.exec_params(study_sql, first, last, filter.facility_code,
                                            filter.aimag, filter.time_zone, from_month, to_month)) {
    const Place place = place_of(r, true);
    for (KpiFiguresTally* t : {place.totals, place.group})
      if (t)
        t->AddStudies(r[5].as<int64_t>(), r[6].as<bool>(), Count(r[7]), Count(r[8]), Count(r[9]),
                      Count(r[10]));
  }
  // E-examinations have no modality class: grouped by it, they count in the totals only.
  for (const pqxx::row& r : txn.exec_params(consultation_sql, first, last, filter.facility_code,
                                            filter.aimag, filter.time_zone, from_month, to_month)) {
    const Place place = place_of(r, !dims.modality);
    for (KpiFiguresTally* t : {place.totals, place.group})
      if (t)
        t->AddConsultations(r[5].as<int64_t>(), r[6].as<bool>(), Count(r[7]), Count(r[8]),
                            Count(r[9]), Count(r[10]));
  }
  const pqxx::result turnaround =
      national ? txn.exec_params(national_sql, first, last, from_month, to_month)
               : txn.exec_params(turnaround_sql, ToMicros(filter.start), ToMicros(filter.end),
                                 filter.facility_code, filter.aimag, filter.time_zone, from_month,
                                 to_month, ToMicros(hist_start), ToMicros(hist_end));
  for (const pqxx::row& r : turnaround) {
    const int priority = r[5].as<int>(), bucket = r[6].as<int>();
    const int64_t n = r[7].as<int64_t>(), breaches = r[8].as<int64_t>();
    const Place place = place_of(r, true);
    for (KpiFiguresTally* t : {place.totals, place.group})
      if (t) t->AddTurnaround(priority, bucket, n, breaches);
  }
  return parts;
}

date::sys_days NextMonth(date::sys_days month_start) {
  return date::sys_days(date::year_month_day(month_start) + date::months(1));
}

}  // namespace

PgKpiRepository::PgKpiRepository(PgPool& pool) : pool_(pool) {}

Result<bool> PgKpiRepository::SetTimeZone(const std::string& zone) {
  bool changed = false;
  Status s = pool_.Run([&](pqxx::work& txn) {
    // A recount of a large database takes longer than a request may.
    txn.exec0("SET LOCAL statement_timeout = 0");
    changed = txn.exec_params1("SELECT kpi_set_time_zone($1)", zone)[0].as<bool>();
  });
  if (!s.ok()) return s;
  return changed;
}

Result<KpiGroupedFigures> PgKpiRepository::Figures(const KpiDimensions& dims,
                                                   const KpiFilter& filter,
                                                   KpiFiguresCache* cache) {
  // The computation a request waited for failed (a timeout, an outage): the waiting ones
  // join again, so that one of them computes while the others wait, rather than all
  // repeating at once what just failed; after a second failure each tries on its own.
  for (int attempt = 0;; ++attempt) {
    bool waited_in_vain = false;
    auto figures =
        FiguresOnce(dims, filter, cache, cache != nullptr && attempt < 2, &waited_in_vain);
    if (!waited_in_vain) return figures;
  }
}

Result<KpiGroupedFigures> PgKpiRepository::FiguresOnce(const KpiDimensions& dims,
                                                       const KpiFilter& filter,
                                                       KpiFiguresCache* cache, bool join,
                                                       bool* waited_in_vain) {
  const std::string cache_key = cache ? KpiFiguresCache::KeyOf(dims, filter) : std::string();
  KpiFiguresMemory memory = cache ? cache->Find(cache_key) : KpiFiguresMemory();
  const KpiFiguresParts& remembered = memory.parts;
  std::vector<date::sys_days> months;  // every month the window touches
  for (auto m = MonthStart(filter.first); m <= filter.last; m = NextMonth(m)) months.push_back(m);
  KpiFiguresParts fresh;
  KpiMonthChanges changes;  // each month's count plus the registry's
  // The window's parts (KpiPartsOf); without a cache, one part: the whole window.
  std::vector<KpiPartSpan> layout;
  bool answered = false;                                   // the remembered answer holds
  std::optional<KpiAnswerFlights::Lead> lead;              // this request computes
  std::shared_future<KpiAnswerFlights::Answer> computing;  // another one does
  Status s = pool_.Run([&](pqxx::work& txn) {
    // One snapshot for the reads, so the figures of a group agree with each other and
    // with the change counts they are remembered under.
    txn.exec0("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    fresh.clear();
    changes.clear();
    layout = {{months.front(), months.back()}};
    answered = false;
    computing = {};
    int64_t registry = 0;
    std::map<date::sys_days, int64_t> by_month;
    if (cache) {
      // Every change of a month's inputs adds to that month's row, a facility's registry
      // change to the '-infinity' row: schema 0016. And the current local month, in the
      // database's clock (the one its triggers date events by).
      std::optional<date::sys_days> current;
      for (const pqxx::row& r : txn.exec_params(
               "SELECT to_char(month, 'YYYY-MM-DD'), month = '-infinity'::date,"
               " sum(changes)::bigint FROM kpi_change WHERE month = '-infinity'::date"
               " OR (month >= date_trunc('month', $1::date)::date AND month <= $2::date)"
               " GROUP BY month UNION ALL SELECT to_char(now() AT TIME ZONE $3, 'YYYY-MM-01'),"
               " NULL, NULL",
               FormatDay(filter.first), FormatDay(filter.last), filter.time_zone)) {
        if (r[1].is_null())
          current = ParseDay(r[0].c_str());
        else if (r[1].as<bool>())
          registry = r[2].as<int64_t>();
        else if (auto month = ParseDay(r[0].c_str()))
          by_month[*month] = r[2].as<int64_t>();
      }
      for (date::sys_days m : months) changes[m] = by_month[m] + registry;
      if (memory.answer && memory.answer_changes == changes) {
        answered = true;
        return;
      }
      if (join) {
        if (lead && lead->changes() != changes) lead.reset();  // a retry read other counts
        if (!lead) {
          auto joined = cache->flights().Join(cache_key, changes);
          if (auto* other = std::get_if<std::shared_future<KpiAnswerFlights::Answer>>(&joined)) {
            computing = *other;  // waited for outside the transaction: no connection held
            return;
          }
          lead.emplace(std::move(std::get<KpiAnswerFlights::Lead>(joined)));
          // A computation that landed between the look above and the lead may have left
          // this answer, or parts of it: look again (a copy of a few pointers).
          memory = cache->Find(cache_key);
          if (memory.answer && memory.answer_changes == changes) {
            answered = true;
            return;
          }
        }
      }
      layout = KpiPartsOf(months, PartInTime(dims), current.value_or(months.back()));
    }
    // A part's count: its months' plus the registry's.
    auto changes_of = [&](const KpiPartSpan& part) {
      int64_t n = registry;
      for (auto it = by_month.lower_bound(part.first);
           it != by_month.end() && it->first <= part.last; ++it)
        n += it->second;
      return n;
    };
    // The parts not remembered at their count are computed.
    std::vector<KpiPartSpan> stale;
    for (const KpiPartSpan& part : layout) {
      auto it = remembered.find(part.first);
      if (it == remembered.end() || it->second.last != part.last ||
          it->second.changes != changes_of(part))
        stale.push_back(part);
    }
    if (stale.empty()) return;
    std::map<date::sys_days, KpiTallies> computed;
    auto compute = [&](date::sys_days from, date::sys_days to, bool by_month_of_time) {
      KpiFilter span = filter;
      span.first = std::max(filter.first, from);
      span.last = std::min(filter.last, NextMonth(to) - date::days(1));
      span.start = LocalDayStart(filter.time_zone, span.first);
      span.end = LocalDayStart(filter.time_zone, span.last + date::days(1));
      for (auto& [part, tallies] : TallyParts(txn, dims, span, by_month_of_time))
        computed[part] = std::move(tallies);
    };
    if (cache && PartInTime(dims)) {
      // Month by month from the time bucket: one span from the first stale month to the
      // last (usually only the current month, the window's last).
      compute(stale.front().first, stale.back().last, true);
    } else {
      for (const KpiPartSpan& part : stale) compute(part.first, part.last, false);
    }
    for (const KpiPartSpan& span : stale) {
      KpiFiguresPart& part = fresh[span.first];
      part.changes = changes_of(span);
      part.last = span.last;
      auto it = computed.find(span.first);
      // A part without a row is a part too: remembered, it is not read again.
      part.tallies = std::make_shared<const KpiTallies>(
          it == computed.end() ? KpiTallies() : std::move(it->second));
    }
  });
  if (!s.ok()) return s;
  if (answered) {
    if (lead) lead->Publish(memory.answer);
    cache->CountAnswer(true);
    return *memory.answer;
  }
  if (computing.valid()) {
    // No limit of its own: the computing request's statements have the statement timeout,
    // and its failure wakes this one.
    const KpiAnswerFlights::Answer answer = computing.get();
    if (!answer) {
      *waited_in_vain = true;
      return Status::Unavailable("the computation this request waited for failed");
    }
    cache->CountAnswer(true);
    return *answer;
  }
  KpiTallies whole;
  for (const KpiPartSpan& span : layout) {
    auto it = fresh.find(span.first);
    whole.Merge(*(it != fresh.end() ? it->second : remembered.at(span.first)).tallies);
  }
  auto answer = std::make_shared<const KpiGroupedFigures>(whole.Build(dims.modality));
  if (cache) {
    cache->Store(cache_key, fresh, answer, changes);
    cache->CountAnswer(fresh.empty());
  }
  if (lead) lead->Publish(answer);
  return *answer;
}

}  // namespace telerad
