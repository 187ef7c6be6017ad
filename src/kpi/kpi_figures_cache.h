// KpiFiguresCache: this process's recent answers to KPI figures questions, each stored
// with the change count of its window (schema 0016, kpi_change) read in the snapshot the
// answer was computed from. An answer is given again only for the same question and the
// same count, which PostgreSQL guarantees means the same figures; any committed event in
// the window's months (or a facility's registry change) moves the count, and the next
// request computes afresh. So it is exact with any number of servers, each with its own
// cache, and needs no expiry. Why: four ministry users asking the dashboard's questions
// at once made each server recompute the same year's figures from tens of thousands of
// aggregate rows per request (bench/README.md, "KPI"). Thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "src/kpi/kpi_repository.h"

namespace telerad {

class KpiFiguresCache {
 public:
  // At most `max_entries` answers and `max_groups` groups in all (a year by day, facility
  // and modality class is some 65,000 groups); the least recently used go first.
  explicit KpiFiguresCache(size_t max_entries = 64, size_t max_groups = 100000);

  // The question: every field of `dims` and `filter` that its answer depends on.
  static std::string KeyOf(const KpiDimensions& dims, const KpiFilter& filter);

  // The answer stored for `key` at `changes`, or null (counted as a hit or a miss).
  std::shared_ptr<const KpiGroupedFigures> Find(const std::string& key, int64_t changes);
  // Keeps `figures` as the answer to `key` at `changes`, replacing an older one. An
  // answer with more groups than max_groups / 4 is not kept.
  void Store(const std::string& key, int64_t changes, KpiGroupedFigures figures);

  int64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  int64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    int64_t changes = 0;
    std::shared_ptr<const KpiGroupedFigures> figures;
    uint64_t last_used = 0;
  };
  void EvictOne();  // REQUIRES: mu_ held, entries_ not empty

  const size_t max_entries_, max_groups_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  size_t groups_ = 0;
  uint64_t tick_ = 0;
  std::atomic<int64_t> hits_{0}, misses_{0};
};

}  // namespace telerad
