#include "src/pg/pg_kpi_repository.h"

#include <algorithm>
#include <future>
#include <map>
#include <optional>
#include <variant>
#include <vector>

#include "src/kpi/kpi_answer_flights.h"
#include "src/kpi/kpi_figures_cache.h"
#include "src/kpi/kpi_tally.h"
#include "src/pg/pg_kpi_tally_parts.h"
#include "src/pg/pg_pool.h"

namespace telerad {
namespace {

// Whether a group's time bucket tells the part of the window it belongs to (the month of
// its days: kpi_figures_cache.h, KpiPartsOf): grouped by day or by month.
bool PartInTime(const KpiDimensions& dims) {
  return dims.time == TimeGrain::kDay || dims.time == TimeGrain::kMonth;
}

date::sys_days MonthStart(date::sys_days day) {
  const date::year_month_day ymd(day);
  return date::sys_days(ymd.year() / ymd.month() / 1);
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
      for (auto& [part, tallies] : ReadKpiTallyParts(txn, dims, span, by_month_of_time))
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
