// Turnaround percentiles from the 10 % histogram of schema 0007 against exact ones
// (percentile_cont's definition) on realistic and awkward samples.
#include "src/kpi/kpi_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace telerad {
namespace {

// The SQL function kpi_turnaround_bucket, for building histograms in the test.
int BucketOf(double secs) {
  return static_cast<int>(std::floor(std::log(1 + std::max(secs, 0.0) / 60.0) / std::log(1.1)));
}

// percentile_cont: linear interpolation between the sorted values around q * (n - 1).
double Exact(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double rank = q * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(rank));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (rank - static_cast<double>(lo));
}

TurnaroundHistogram Of(const std::vector<double>& values) {
  TurnaroundHistogram h;
  for (double v : values) h.Add(BucketOf(v), 1, 0);
  return h;
}

TEST(TurnaroundHistogramTest, BucketsMatchTheSqlFormula) {
  EXPECT_DOUBLE_EQ(TurnaroundBucketStart(0), 0);
  EXPECT_NEAR(TurnaroundBucketStart(1), 6, 1e-9);
  for (int b = 0; b < 300; ++b) {
    const double start = TurnaroundBucketStart(b), end = TurnaroundBucketStart(b + 1);
    ASSERT_LT(start, end);
    EXPECT_EQ(BucketOf(start + (end - start) * 0.01), b);
    EXPECT_EQ(BucketOf(start + (end - start) * 0.99), b);
  }
  EXPECT_EQ(BucketOf(3600), 43);   // one hour
  EXPECT_EQ(BucketOf(86400), 76);  // one day
  EXPECT_EQ(BucketOf(-5), 0);      // a clock step backwards counts as no time
}

TEST(TurnaroundHistogramTest, EmptyIsZeroAndOneValueIsItsBucketsMiddle) {
  EXPECT_EQ(TurnaroundHistogram().Quantile(0.5), 0);
  EXPECT_EQ(TurnaroundHistogram().Stats().count, 0);
  const TurnaroundHistogram one = Of({7200});
  const int b = BucketOf(7200);
  const double middle = (TurnaroundBucketStart(b) + TurnaroundBucketStart(b + 1)) / 2;
  EXPECT_DOUBLE_EQ(one.Quantile(0.5), middle);
  EXPECT_DOUBLE_EQ(one.Quantile(0.9), middle);
  EXPECT_LT(std::fabs(middle - 7200) / 7200, 0.1);
}

TEST(TurnaroundHistogramTest, PercentilesOfRealisticSamplesAreWithinTwoPercent) {
  std::mt19937 random(42);
  // Reading times: log-normal around 3 hours; uniform from 5 minutes to 36 hours (as
  // the benchmark's loader makes them); a mixture of fast stat reads and slow routine.
  std::lognormal_distribution<double> lognormal(std::log(3 * 3600.0), 0.9);
  std::uniform_real_distribution<double> uniform(300, 36 * 3600.0);
  std::vector<std::vector<double>> samples(3);
  for (int i = 0; i < 20000; ++i) {
    samples[0].push_back(lognormal(random));
    samples[1].push_back(uniform(random));
    samples[2].push_back(i % 5 == 0 ? uniform(random) / 30 : lognormal(random) * 4);
  }
  for (const auto& sample : samples) {
    const TurnaroundHistogram h = Of(sample);
    for (double q : {0.5, 0.9}) {
      const double exact = Exact(sample, q);
      EXPECT_LT(std::fabs(h.Quantile(q) - exact) / exact, 0.02) << "q=" << q << " exact=" << exact;
    }
  }
}

TEST(TurnaroundHistogramTest, NeverFurtherThanTheBucketWidth) {
  // Two clusters far apart: the median falls in a gap, where only the bucket bounds hold.
  std::vector<double> sample;
  for (int i = 0; i < 50; ++i) sample.push_back(600 + i);
  for (int i = 0; i < 51; ++i) sample.push_back(20000 + i);
  const TurnaroundHistogram h = Of(sample);
  const double exact = Exact(sample, 0.5);  // 20000
  const int b = BucketOf(exact);
  EXPECT_GE(h.Quantile(0.5), TurnaroundBucketStart(b));
  EXPECT_LT(h.Quantile(0.5), TurnaroundBucketStart(b + 1));
}

TEST(TurnaroundHistogramTest, MergeAddsCountsAndBreaches) {
  TurnaroundHistogram a, b;
  a.Add(10, 3, 1);
  b.Add(10, 2, 0);
  b.Add(50, 5, 5);
  a.Merge(b);
  const TurnaroundStats s = a.Stats();
  EXPECT_EQ(s.count, 10);
  EXPECT_EQ(s.sla_breaches, 6);
  EXPECT_GE(s.median_seconds, TurnaroundBucketStart(10));
  EXPECT_LT(s.median_seconds, TurnaroundBucketStart(51));
  EXPECT_GE(s.p90_seconds, TurnaroundBucketStart(50));
}

}  // namespace
}  // namespace telerad
