#include "src/kpi_histogram.h"

#include <algorithm>
#include <cmath>

namespace telerad {

double TurnaroundBucketStart(int bucket) { return 60.0 * (std::pow(1.1, bucket) - 1.0); }

void TurnaroundHistogram::Add(int bucket, int64_t signed_count, int64_t breaches) {
  if (signed_count == 0 && breaches == 0) return;
  counts_[std::max(bucket, 0)] += signed_count;
  count_ += signed_count;
  breaches_ += breaches;
}

void TurnaroundHistogram::Merge(const TurnaroundHistogram& other) {
  for (const auto& [bucket, n] : other.counts_) counts_[bucket] += n;
  count_ += other.count_;
  breaches_ += other.breaches_;
}

double TurnaroundHistogram::Quantile(double q) const {
  if (count_ <= 0) return 0;
  // percentile_cont's rank among n sorted values is q * (n - 1), counted from 0: the
  // value at that rank lies in the bucket holding values number floor(rank) + 1.
  const double rank = std::clamp(q, 0.0, 1.0) * static_cast<double>(count_ - 1);
  double before = 0;
  for (const auto& [bucket, n] : counts_) {
    if (n <= 0) continue;
    if (rank < before + static_cast<double>(n)) {
      // Spread the bucket's n values evenly, each in the middle of its share.
      const double position = (rank - before + 0.5) / static_cast<double>(n);
      const double start = TurnaroundBucketStart(bucket);
      return start + (TurnaroundBucketStart(bucket + 1) - start) * position;
    }
    before += static_cast<double>(n);
  }
  const int last = counts_.rbegin()->first;  // only reached through rounding
  return TurnaroundBucketStart(last + 1);
}

TurnaroundStats TurnaroundHistogram::Stats() const {
  TurnaroundStats stats;
  stats.count = count_;
  stats.median_seconds = Quantile(0.5);
  stats.p90_seconds = Quantile(0.9);
  stats.sla_breaches = breaches_;
  return stats;
}

}  // namespace telerad
