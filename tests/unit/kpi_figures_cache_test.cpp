// KpiFiguresCache: a window is cut into parts month by month where the time bucket tells
// the month, else before, at and after the current month (KpiPartsOf); a question's parts
// are remembered each at its own change count, and parts cut otherwise over the same
// months go; a part computed at a lower count never replaces one at a higher count;
// every field of the question is in its key; the least recently used question goes
// first, and questions too large are not kept.
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

date::sys_days Month(const std::string& day) { return *ParseDay(day); }

// A part with `received` studies in its totals and `groups` empty groups.
KpiFiguresPart Part(int64_t changes, int64_t received, int groups = 0) {
  auto tallies = std::make_shared<KpiTallies>();
  tallies->totals.AddStudies(1, true, received, 0, 0, 0);
  for (int g = 0; g < groups; ++g) {
    KpiGroupKey key;
    key.facility_code = "F" + std::to_string(g);
    tallies->groups[key];
  }
  return KpiFiguresPart{changes, tallies};
}

KpiFiguresPart Spanning(KpiFiguresPart part, const std::string& last) {
  part.last = Month(last);
  return part;
}

int64_t Received(const KpiFiguresPart& part) {
  return part.tallies->totals.Build(true).studies_received;
}

std::vector<date::sys_days> MonthsOf(int year) {
  std::vector<date::sys_days> months;
  for (unsigned m = 1; m <= 12; ++m)
    months.push_back(date::sys_days(date::year(year) / date::month(m) / 1));
  return months;
}

std::vector<KpiPartSpan> Spans(
    std::initializer_list<std::pair<const char*, const char*>> first_and_last) {
  std::vector<KpiPartSpan> spans;
  for (const auto& [first, last] : first_and_last) spans.push_back({Month(first), Month(last)});
  return spans;
}

TEST(KpiPartsOfTest, MonthByMonthOrBeforeAtAndAfterTheCurrentMonth) {
  const auto year = MonthsOf(2026);
  EXPECT_EQ(KpiPartsOf(year, true, Month("2026-12-01")).size(), 12u);
  EXPECT_EQ(KpiPartsOf(year, true, Month("2026-12-01"))[4],
            (KpiPartSpan{Month("2026-05-01"), Month("2026-05-01")}));
  EXPECT_EQ(KpiPartsOf(year, false, Month("2026-12-01")),
            Spans({{"2026-01-01", "2026-11-01"}, {"2026-12-01", "2026-12-01"}}));
  EXPECT_EQ(KpiPartsOf(year, false, Month("2026-06-01")), Spans({{"2026-01-01", "2026-05-01"},
                                                                 {"2026-06-01", "2026-06-01"},
                                                                 {"2026-07-01", "2026-12-01"}}));
  EXPECT_EQ(KpiPartsOf(year, false, Month("2026-01-01")),
            Spans({{"2026-01-01", "2026-01-01"}, {"2026-02-01", "2026-12-01"}}));
  // A window wholly before or after today: one part.
  EXPECT_EQ(KpiPartsOf(year, false, Month("2027-03-01")), Spans({{"2026-01-01", "2026-12-01"}}));
  EXPECT_EQ(KpiPartsOf(year, false, Month("2025-03-01")), Spans({{"2026-01-01", "2026-12-01"}}));
  EXPECT_EQ(KpiPartsOf({Month("2026-12-01")}, false, Month("2026-12-01")),
            Spans({{"2026-12-01", "2026-12-01"}}));
}

TEST(KpiFiguresCacheTest, PartsCutBeforeTheMonthTurnedGoWhenTheNewCutIsStored) {
  KpiFiguresCache cache;
  const std::string key = KpiFiguresCache::KeyOf({}, Window("2026-01-01", "2026-12-31"));
  // In November: January to October, November, December.
  cache.Store(key,
              {{Month("2026-01-01"), Spanning(Part(3, 100), "2026-10-01")},
               {Month("2026-11-01"), Spanning(Part(1, 10), "2026-11-01")},
               {Month("2026-12-01"), Spanning(Part(0, 0), "2026-12-01")}},
              nullptr, {});
  // In December: January to November (computed again), and December.
  cache.Store(key,
              {{Month("2026-01-01"), Spanning(Part(4, 110), "2026-11-01")},
               {Month("2026-12-01"), Spanning(Part(1, 1), "2026-12-01")}},
              nullptr, {});
  KpiFiguresParts parts = cache.Find(key).parts;
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[Month("2026-01-01")].last, Month("2026-11-01"));
  EXPECT_EQ(Received(parts[Month("2026-01-01")]), 110);
  EXPECT_EQ(Received(parts[Month("2026-12-01")]), 1);
  // A part over other months replaces one at a higher count: it is another cut.
  cache.Store(key, {{Month("2026-01-01"), Spanning(Part(2, 50), "2026-06-01")}}, nullptr, {});
  parts = cache.Find(key).parts;
  EXPECT_EQ(parts[Month("2026-01-01")].last, Month("2026-06-01"));
  EXPECT_EQ(Received(parts[Month("2026-01-01")]), 50);
}

TEST(KpiFiguresCacheTest, APartReachingIntoStoredMonthsGoes) {
  KpiFiguresCache cache;
  const std::string key = KpiFiguresCache::KeyOf({}, Window("2026-07-01", "2026-12-31"));
  cache.Store(key, {{Month("2026-07-01"), Spanning(Part(5, 60), "2026-12-01")}}, nullptr, {});
  // Another cut whose part starts inside the remembered one: that one goes.
  cache.Store(key, {{Month("2026-08-01"), Spanning(Part(1, 8), "2026-08-01")}}, nullptr, {});
  KpiFiguresParts parts = cache.Find(key).parts;
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(Received(parts[Month("2026-08-01")]), 8);
  // A part ending before the stored one's months stays.
  cache.Store(key, {{Month("2026-07-01"), Spanning(Part(1, 7), "2026-07-01")}}, nullptr, {});
  cache.Store(key, {{Month("2026-09-01"), Spanning(Part(1, 9), "2026-12-01")}}, nullptr, {});
  EXPECT_EQ(cache.Find(key).parts.size(), 3u);
}

TEST(KpiFiguresCacheTest, PartsAreRememberedMonthByMonthAtTheirCounts) {
  KpiFiguresCache cache;
  KpiDimensions by_month;
  by_month.time = TimeGrain::kMonth;
  const std::string key = KpiFiguresCache::KeyOf(by_month, Window("2025-01-01", "2025-12-31"));
  EXPECT_TRUE(cache.Find(key).parts.empty());
  cache.Store(key, {{Month("2025-01-01"), Part(3, 10)}, {Month("2025-02-01"), Part(5, 20)}},
              nullptr, {});
  // Later, only February was computed again (an event in February).
  cache.Store(key, {{Month("2025-02-01"), Part(6, 21)}}, nullptr, {});
  KpiFiguresParts parts = cache.Find(key).parts;
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[Month("2025-01-01")].changes, 3);
  EXPECT_EQ(Received(parts[Month("2025-01-01")]), 10);
  EXPECT_EQ(parts[Month("2025-02-01")].changes, 6);
  EXPECT_EQ(Received(parts[Month("2025-02-01")]), 21);

  cache.CountAnswer(true);
  cache.CountAnswer(false);
  cache.CountAnswer(false);
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
    EXPECT_TRUE(cache.Find(other).parts.empty());
  }
}

TEST(KpiFiguresCacheTest, AnOlderSnapshotsPartNeverReplacesANewerOne) {
  KpiFiguresCache cache;
  const std::string key = KpiFiguresCache::KeyOf({}, Window("2025-01-01", "2025-06-30"));
  cache.Store(key, {{Month("2025-03-01"), Part(9, 9)}}, nullptr, {});
  cache.Store(key, {{Month("2025-03-01"), Part(8, 8)}}, nullptr,
              {});  // a slower request, read before
  EXPECT_EQ(cache.Find(key).parts[Month("2025-03-01")].changes, 9);
  EXPECT_EQ(Received(cache.Find(key).parts[Month("2025-03-01")]), 9);
  cache.Store(key, {{Month("2025-03-01"), Part(10, 10)}}, nullptr, {});
  EXPECT_EQ(Received(cache.Find(key).parts[Month("2025-03-01")]), 10);
}

TEST(KpiFiguresCacheTest, TheAnswerIsKeptWithTheCountsItWasBuiltAtAndNeverByAnOlderOne) {
  KpiFiguresCache cache;
  const std::string key = KpiFiguresCache::KeyOf({}, Window("2025-01-01", "2025-02-28"));
  auto answer = [](int64_t received) {
    auto a = std::make_shared<KpiGroupedFigures>();
    a->totals.studies_received = received;
    return a;
  };
  const KpiMonthChanges at_5 = {{Month("2025-01-01"), 3}, {Month("2025-02-01"), 5}};
  const KpiMonthChanges at_6 = {{Month("2025-01-01"), 3}, {Month("2025-02-01"), 6}};
  cache.Store(key, {{Month("2025-01-01"), Part(3, 10)}, {Month("2025-02-01"), Part(5, 20)}},
              answer(30), at_5);
  KpiFiguresMemory memory = cache.Find(key);
  ASSERT_NE(memory.answer, nullptr);
  EXPECT_EQ(memory.answer->totals.studies_received, 30);
  EXPECT_EQ(memory.answer_changes, at_5);
  cache.Store(key, {{Month("2025-02-01"), Part(6, 21)}}, answer(31), at_6);
  cache.Store(key, {}, answer(30), at_5);  // a slower request that read before the event
  memory = cache.Find(key);
  EXPECT_EQ(memory.answer->totals.studies_received, 31);
  EXPECT_EQ(memory.answer_changes, at_6);
  EXPECT_EQ(memory.parts.size(), 2u);
}

TEST(KpiFiguresCacheTest, TheLeastRecentlyUsedGoesFirstAndLargeQuestionsAreNotKept) {
  KpiFiguresCache cache(2, 400);
  const std::string a = KpiFiguresCache::KeyOf({}, Window("2025-01-01", "2025-01-31"));
  const std::string b = KpiFiguresCache::KeyOf({}, Window("2025-02-01", "2025-02-28"));
  const std::string c = KpiFiguresCache::KeyOf({}, Window("2025-03-01", "2025-03-31"));
  cache.Store(a, {{Month("2025-01-01"), Part(1, 1)}}, nullptr, {});
  cache.Store(b, {{Month("2025-02-01"), Part(1, 2)}}, nullptr, {});
  ASSERT_FALSE(cache.Find(a).parts.empty());  // a is now more recent than b
  cache.Store(c, {{Month("2025-03-01"), Part(1, 3)}}, nullptr, {});
  EXPECT_FALSE(cache.Find(a).parts.empty());
  EXPECT_TRUE(cache.Find(b).parts.empty());
  EXPECT_FALSE(cache.Find(c).parts.empty());

  // More than a quarter of the groups allowed (each part's totals count as one group):
  // computed every time.
  const std::string d = KpiFiguresCache::KeyOf({}, Window("2025-04-01", "2025-05-31"));
  cache.Store(d, {{Month("2025-04-01"), Part(1, 4, 49)}, {Month("2025-05-01"), Part(1, 4, 50)}},
              nullptr, {});
  EXPECT_TRUE(cache.Find(d).parts.empty());
  // Just within a quarter: kept.
  cache.Store(d, {{Month("2025-04-01"), Part(1, 4, 49)}, {Month("2025-05-01"), Part(1, 4, 49)}},
              nullptr, {});
  EXPECT_EQ(cache.Find(d).parts.size(), 2u);
}

TEST(KpiFiguresCacheTest, NothingIsKeptWithoutRoom) {
  KpiFiguresCache cache(0);
  const std::string key = KpiFiguresCache::KeyOf({}, Window("2025-01-01", "2025-12-31"));
  cache.Store(key, {{Month("2025-01-01"), Part(1, 1)}}, nullptr, {});
  EXPECT_TRUE(cache.Find(key).parts.empty());
}

}  // namespace
}  // namespace telerad
