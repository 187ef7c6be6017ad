// KpiFiguresCache: this process's recent answers to KPI figures questions, remembered
// in parts. A question's window is cut into parts of whole local months (KpiPartsOf: one
// per month when grouped by day or month, else the months before the current one, the
// current one, and those after it); each part's tallies (kpi_tally.h) are stored with the
// change counts of its months plus that of the facility registry (schema 0016,
// kpi_change), read in the snapshot the part was computed from. A part is used again
// only at the same count, which PostgreSQL guarantees means the same figures: any
// committed event in a month moves that month's count (a facility's registry change
// moves every month's), so the next request computes the part holding that month afresh
// and merges it with the other remembered parts. It is exact with any number of servers,
// each with its own cache, and needs no expiry.
// Why in parts: remembered whole, a year's answer was computed afresh after every event
// of the year, so the current year's dashboard, while studies arrive, cost 0.3-0.6 s per
// question with one user and over a second with four (bench/README.md, "KPI").
// Thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "src/kpi/kpi_answer_flights.h"
#include "src/kpi/kpi_repository.h"
#include "src/kpi/kpi_tally.h"

namespace telerad {

// A part of a question's window: its months from `first` to `last` (their first days).
struct KpiPartSpan {
  date::sys_days first, last;
  bool operator==(const KpiPartSpan& o) const { return first == o.first && last == o.last; }
};

// How a window of `months` (ascending first days) is cut into parts. Month by month when
// `month_by_month` (grouped by day or by month: the groups are split by month anyway, so
// parts cost nothing more); otherwise the months before `current_month`, the current
// month, and the months after it, so that a question is read with as few groups as its
// answer needs (by month, a half-year's facility x class figures took 364 ms instead of
// 116 computed) while events, which fall in the current month, leave the rest remembered.
std::vector<KpiPartSpan> KpiPartsOf(const std::vector<date::sys_days>& months, bool month_by_month,
                                    date::sys_days current_month);

// One part of a question's window.
struct KpiFiguresPart {
  int64_t changes = 0;  // its months' change counts plus the registry's, when computed
  std::shared_ptr<const KpiTallies> tallies;
  date::sys_days last{};  // the first day of its last month (of its only one: its key)
};
// A question's parts by the first day of their first month.
using KpiFiguresParts = std::map<date::sys_days, KpiFiguresPart>;

// What is remembered of a question: its parts, and the last answer built from them with
// the counts it was built at (given again while no month has moved: merging a year's
// parts by day again for every request cost 10-20 ms).
struct KpiFiguresMemory {
  KpiFiguresParts parts;
  std::shared_ptr<const KpiGroupedFigures> answer;
  KpiMonthChanges answer_changes;
};

class KpiFiguresCache {
 public:
  // At most `max_entries` questions and `max_groups` groups in all (a year by day,
  // facility and modality class is some 65,000 groups); the least recently used go first.
  explicit KpiFiguresCache(size_t max_entries = 64, size_t max_groups = 100000);

  // The question: every field of `dims` and `filter` that its answer depends on.
  static std::string KeyOf(const KpiDimensions& dims, const KpiFilter& filter);

  // What is remembered for `key` (nothing when the question is new or was evicted).
  KpiFiguresMemory Find(const std::string& key);
  // Keeps `parts` for `key`, each in place of the remembered part of its months unless
  // that one covers the same months and was computed at a higher count (a request that
  // read a newer snapshot stored it first); remembered parts cut otherwise over the same
  // months (before the month turned) go. And `answer`, built at `answer_changes`, unless the
  // remembered one was built at higher counts. A question with more groups than max_groups / 4 is
  // not kept.
  void Store(const std::string& key, const KpiFiguresParts& parts,
             std::shared_ptr<const KpiGroupedFigures> answer,
             const KpiMonthChanges& answer_changes);
  // Counts an answer as given from memory (every part remembered, or the answer of
  // another request's computation at the same counts) or from the database.
  void CountAnswer(bool from_memory);

  // The answers being computed now (kpi_answer_flights.h).
  KpiAnswerFlights& flights() { return flights_; }

  int64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  int64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    KpiFiguresMemory memory;
    size_t groups = 0;
    uint64_t last_used = 0;
  };
  static size_t GroupsOf(const KpiFiguresMemory& memory);
  void EvictOne();  // REQUIRES: mu_ held, entries_ not empty

  const size_t max_entries_, max_groups_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  size_t groups_ = 0;
  uint64_t tick_ = 0;
  std::atomic<int64_t> hits_{0}, misses_{0};
  KpiAnswerFlights flights_;
};

}  // namespace telerad
