#include "src/kpi/kpi_histogram.h"

#include <algorithm>
#include <cmath>

namespace telerad {

double TurnaroundBucketStart(int bucket) { return 60.0 * (std::pow(1.1, bucket) - 1.0); }

void TurnaroundHistogram::Add(int bucket, int64_t signed_count, int64_t breaches) {
  if (signed_count == 0 && breaches == 0) return;
  const size_t b = static_cast<size_t>(std::clamp(bucket, 0, 32767));
  if (b >= counts_.size()) counts_.resize(b + 1, 0);
  counts_[b] += signed_count;
  count_ += signed_count;
  breaches_ += breaches;
}

void TurnaroundHistogram::Merge(const TurnaroundHistogram& other) {
  if (other.counts_.size() > counts_.size()) counts_.resize(other.counts_.size(), 0);
  for (size_t b = 0; b < other.counts_.size(); ++b) counts_[b] += other.counts_[b];
  count_ += other.count_;
  breaches_ += other.breaches_;
}

double TurnaroundHistogram::Quantile(double q) const {
  if (count_ <= 0) return 0;
  // percentile_cont's rank among n sorted values is q * (n - 1), counted from 0: the
  // value at that rank lies in the bucket holding values number floor(rank) + 1.
  const double rank = std::clamp(q, 0.0, 1.0) * static_cast<double>(count_ - 1);
  double before = 0;
  for (size_t b = 0; b < counts_.size(); ++b) {
    const int64_t n = counts_[b];
    const int bucket = static_cast<int>(b);
    if (n <= 0) continue;
    if (rank < before + static_cast<double>(n)) {
      // Spread the bucket's n values evenly, each in the middle of its share.
      const double position = (rank - before + 0.5) / static_cast<double>(n);
      const double start = TurnaroundBucketStart(bucket);
      return start + (TurnaroundBucketStart(bucket + 1) - start) * position;
    }
    before += static_cast<double>(n);
  }
  return TurnaroundBucketStart(static_cast<int>(counts_.size()));  // only through rounding
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
