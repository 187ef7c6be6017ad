#include "src/kpi/kpi_figures_cache.h"

#include <algorithm>
#include <utility>

namespace telerad {

std::vector<KpiPartSpan> KpiPartsOf(const std::vector<date::sys_days>& months, bool month_by_month,
                                    date::sys_days current_month) {
  std::vector<KpiPartSpan> parts;
  for (date::sys_days m : months) {
    // A month starts a part of its own when parts are months, and the current month and
    // the one after it start one.
    const bool starts =
        parts.empty() || month_by_month || m == current_month || parts.back().last == current_month;
    if (starts)
      parts.push_back({m, m});
    else
      parts.back().last = m;
  }
  return parts;
}

KpiFiguresCache::KpiFiguresCache(size_t max_entries, size_t max_groups)
    : max_entries_(max_entries), max_groups_(max_groups) {}

std::string KpiFiguresCache::KeyOf(const KpiDimensions& dims, const KpiFilter& filter) {
  // Fields separated by a byte no filter may hold (KpiService refuses control bytes).
  std::string key;
  key += dims.time ? std::to_string(static_cast<int>(*dims.time)) : "-";
  key += dims.facility ? 'f' : '.';
  key += dims.aimag ? 'a' : '.';
  key += dims.modality ? 'm' : '.';
  for (const std::string& part : {FormatDay(filter.first), FormatDay(filter.last), filter.time_zone,
                                  filter.facility_code, filter.aimag}) {
    key += '\x1f';
    key += part;
  }
  return key;
}

size_t KpiFiguresCache::GroupsOf(const KpiFiguresMemory& memory) {
  // The parts' groups, each part's totals counting as one; the answer built from them is
  // not counted (it about doubles the memory a question holds), so the questions kept are
  // those kept before answers were remembered by month.
  size_t groups = 0;
  for (const auto& [month, part] : memory.parts) groups += part.tallies->groups.size() + 1;
  return groups;
}

KpiFiguresMemory KpiFiguresCache::Find(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return {};
  it->second.last_used = ++tick_;
  return it->second.memory;  // shared tallies and answer: a copy of a few pointers
}

// Whether counts `a` are all at least those of `b` (a snapshot no older).
static bool NoOlder(const KpiMonthChanges& a, const KpiMonthChanges& b) {
  for (const auto& [month, changes] : b) {
    auto it = a.find(month);
    if (it == a.end() || it->second < changes) return false;
  }
  return true;
}

void KpiFiguresCache::Store(const std::string& key, const KpiFiguresParts& parts,
                            std::shared_ptr<const KpiGroupedFigures> answer,
                            const KpiMonthChanges& answer_changes) {
  if (max_entries_ == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  KpiFiguresMemory merged;
  if (auto it = entries_.find(key); it != entries_.end()) {
    merged = std::move(it->second.memory);
    groups_ -= it->second.groups;
    entries_.erase(it);
  }
  for (const auto& [month, part] : parts) {
    const date::sys_days last = std::max(month, part.last);
    for (auto it = merged.parts.upper_bound(month); it != merged.parts.end() && it->first <= last;)
      it = merged.parts.erase(it);
    if (auto it = merged.parts.lower_bound(month); it != merged.parts.begin()) {
      --it;  // the part before: does it reach into these months?
      if (std::max(it->first, it->second.last) >= month) merged.parts.erase(it);
    }
    auto& kept = merged.parts[month];
    if (!kept.tallies || kept.last != part.last || kept.changes <= part.changes) kept = part;
  }
  if (answer && (!merged.answer || NoOlder(answer_changes, merged.answer_changes))) {
    merged.answer = std::move(answer);
    merged.answer_changes = answer_changes;
  }
  const size_t groups = GroupsOf(merged);
  if (groups > max_groups_ / 4) return;
  while (!entries_.empty() && (entries_.size() >= max_entries_ || groups_ + groups > max_groups_))
    EvictOne();
  entries_[key] = Entry{std::move(merged), groups, ++tick_};
  groups_ += groups;
}

void KpiFiguresCache::CountAnswer(bool from_memory) {
  (from_memory ? hits_ : misses_).fetch_add(1, std::memory_order_relaxed);
}

void KpiFiguresCache::EvictOne() {
  auto oldest = entries_.begin();
  for (auto it = entries_.begin(); it != entries_.end(); ++it)
    if (it->second.last_used < oldest->second.last_used) oldest = it;
  groups_ -= oldest->second.groups;
  entries_.erase(oldest);
}

}  // namespace telerad
