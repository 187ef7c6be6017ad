#include "src/kpi/kpi_figures_cache.h"

#include <utility>

namespace telerad {

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

std::shared_ptr<const KpiGroupedFigures> KpiFiguresCache::Find(const std::string& key,
                                                               int64_t changes) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.changes != changes) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  it->second.last_used = ++tick_;
  hits_.fetch_add(1, std::memory_order_relaxed);
  return it->second.figures;
}

void KpiFiguresCache::Store(const std::string& key, int64_t changes, KpiGroupedFigures figures) {
  const size_t groups = figures.groups.size() + 1;  // the totals count as one
  if (max_entries_ == 0 || groups > max_groups_ / 4) return;
  auto shared = std::make_shared<const KpiGroupedFigures>(std::move(figures));
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = entries_.find(key); it != entries_.end()) {
    // Two requests computed the same question at once: keep the later snapshot's answer.
    if (it->second.changes > changes) return;
    groups_ -= it->second.figures->groups.size() + 1;
    entries_.erase(it);
  }
  while (!entries_.empty() && (entries_.size() >= max_entries_ || groups_ + groups > max_groups_))
    EvictOne();
  entries_[key] = Entry{changes, std::move(shared), ++tick_};
  groups_ += groups;
}

void KpiFiguresCache::EvictOne() {
  auto oldest = entries_.begin();
  for (auto it = entries_.begin(); it != entries_.end(); ++it)
    if (it->second.last_used < oldest->second.last_used) oldest = it;
  groups_ -= oldest->second.figures->groups.size() + 1;
  entries_.erase(oldest);
}

}  // namespace telerad
