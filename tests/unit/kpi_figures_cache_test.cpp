// KpiFiguresCache: an answer is given again only for the same question at the same change
// count, the least recently used goes first, and answers too large are not kept.
#include "src/kpi/kpi_figures_cache.h"

#include <gtest/gtest.h>

namespace telerad {
namespace {

KpiFilter Window(const std::string& first, const std::string& last) {
  KpiFilter f;
  f.first = *ParseDay(first);
  f.last = *ParseDay(last);
  f.time_zone = "Asia/Ulaanbaatar";
  return f;
}

KpiGroupedFigures Answer(int64_t received, size_t groups = 0) {
  KpiGroupedFigures a;
  a.totals.studies_received = received;
  a.groups.resize(groups);
  return a;
}

TEST(KpiFiguresCacheTest, AnAnswerServesOnlyItsQuestionAtItsChangeCount) {
  KpiFiguresCache cache;
  KpiDimensions by_month;
  by_month.time = TimeGrain::kMonth;
  const std::string key = KpiFiguresCache::KeyOf(by_month, Window("2025-01-01", "2025-12-31"));
  EXPECT_EQ(cache.Find(key, 7), nullptr);
  cache.Store(key, 7, Answer(42));
  auto hit = cache.Find(key, 7);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->totals.studies_received, 42);
  EXPECT_EQ(cache.Find(key, 8), nullptr);  // an event since: computed afresh
  EXPECT_EQ(cache.hits(), 1);
  EXPECT_EQ(cache.misses(), 2);

  // Every part of the question is in its key.
  KpiDimensions by_day = by_month;
  by_day.time = TimeGrain::kDay;
  KpiDimensions by_month_aimag = by_month;
  by_month_aimag.aimag = true;
  KpiFilter dornod = Window("2025-01-01", "2025-12-31");
  dornod.aimag = "Дорнод";
  KpiFilter utc = Window("2025-01-01", "2025-12-31");
  utc.time_zone = "UTC";
  for (const std::string& other :
       {KpiFiguresCache::KeyOf(by_day, Window("2025-01-01", "2025-12-31")),
        KpiFiguresCache::KeyOf(by_month_aimag, Window("2025-01-01", "2025-12-31")),
        KpiFiguresCache::KeyOf(by_month, Window("2025-01-01", "2025-12-30")),
        KpiFiguresCache::KeyOf(by_month, dornod), KpiFiguresCache::KeyOf(by_month, utc)}) {
    EXPECT_NE(other, key);
    EXPECT_EQ(cache.Find(other, 7), nullptr);
  }
}

TEST(KpiFiguresCacheTest, AnOlderSnapshotsAnswerNeverReplacesANewerOne) {
  KpiFiguresCache cache;
  const std::string key = KpiFiguresCache::KeyOf({}, Window("2025-01-01", "2025-06-30"));
  cache.Store(key, 9, Answer(9));
  cache.Store(key, 8, Answer(8));  // a slower request that read before the event
  ASSERT_NE(cache.Find(key, 9), nullptr);
  EXPECT_EQ(cache.Find(key, 9)->totals.studies_received, 9);
  EXPECT_EQ(cache.Find(key, 8), nullptr);
  cache.Store(key, 10, Answer(10));
  EXPECT_EQ(cache.Find(key, 10)->totals.studies_received, 10);
  EXPECT_EQ(cache.Find(key, 9), nullptr);
}

TEST(KpiFiguresCacheTest, TheLeastRecentlyUsedGoesFirstAndLargeAnswersAreNotKept) {
  KpiFiguresCache cache(2, 400);
  const std::string a = KpiFiguresCache::KeyOf({}, Window("2025-01-01", "2025-01-31"));
  const std::string b = KpiFiguresCache::KeyOf({}, Window("2025-02-01", "2025-02-28"));
  const std::string c = KpiFiguresCache::KeyOf({}, Window("2025-03-01", "2025-03-31"));
  cache.Store(a, 1, Answer(1));
  cache.Store(b, 1, Answer(2));
  ASSERT_NE(cache.Find(a, 1), nullptr);  // a is now more recent than b
  cache.Store(c, 1, Answer(3));
  EXPECT_NE(cache.Find(a, 1), nullptr);
  EXPECT_EQ(cache.Find(b, 1), nullptr);
  EXPECT_NE(cache.Find(c, 1), nullptr);

  // More than a quarter of the groups allowed: computed every time.
  const std::string d = KpiFiguresCache::KeyOf({}, Window("2025-04-01", "2025-04-30"));
  cache.Store(d, 1, Answer(4, 100));
  EXPECT_EQ(cache.Find(d, 1), nullptr);
  // Just within a quarter: kept.
  cache.Store(d, 1, Answer(4, 99));
  EXPECT_NE(cache.Find(d, 1), nullptr);
}

TEST(KpiFiguresCacheTest, NoAnswersAreKeptWithoutRoom) {
  KpiFiguresCache cache(0);
  const std::string key = KpiFiguresCache::KeyOf({}, Window("2025-01-01", "2025-12-31"));
  cache.Store(key, 1, Answer(1));
  EXPECT_EQ(cache.Find(key, 1), nullptr);
}

}  // namespace
}  // namespace telerad
