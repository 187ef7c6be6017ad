// Turnaround percentiles from the histogram schema 0007 keeps (kpi_turnaround_monthly):
// bucket b holds turnarounds t with 60 * (1.1^b - 1) <= t < 60 * (1.1^(b+1) - 1) seconds,
// the same formula as the SQL function kpi_turnaround_bucket. A percentile is found in
// its bucket and interpolated linearly within it, as if the bucket's values were spread
// evenly: never further from the exact value than the bucket's width (10 % of the value,
// 6 s below one minute), and much closer for any smooth distribution.
#pragma once

#include <cstdint>
#include <vector>

#include "src/kpi/kpi_repository.h"

namespace telerad {

// Where bucket `b` begins, in seconds (b >= 0).
double TurnaroundBucketStart(int bucket);

class TurnaroundHistogram {
 public:
  void Add(int bucket, int64_t signed_count, int64_t breaches);
  void Merge(const TurnaroundHistogram& other);

  int64_t count() const { return count_; }
  // The q-quantile (0 <= q <= 1) in seconds, in the sense of percentile_cont; 0 when
  // empty.
  double Quantile(double q) const;
  // Count, median, p90 and breaches.
  TurnaroundStats Stats() const;

 private:
  std::vector<int64_t> counts_;  // signed studies by bucket (a few hundred at most)
  int64_t count_ = 0;
  int64_t breaches_ = 0;
};

}  // namespace telerad
