// KpiTallyFolder: aggregate rows (per day or month, facility and class) land in the part
// and group their answer asks for, the registry's filter leaves facilities out, and a
// row that counts in the totals only makes no group.
#include "src/kpi/kpi_tally_folder.h"

#include <gtest/gtest.h>

#include "src/kpi/kpi_period.h"

namespace telerad {
namespace {

date::sys_days Day(const std::string& text) { return *ParseDay(text); }

KpiFilter Window(const std::string& first, const std::string& last) {
  KpiFilter f;
  f.first = Day(first);
  f.last = Day(last);
  f.time_zone = "Asia/Ulaanbaatar";
  return f;
}

void Registry(KpiTallyFolder& folder) {
  folder.AddFacility(1, {"DOR-1", "Дорнод 1", "Дорнод", true});
  folder.AddFacility(2, {"DOR-2", "Дорнод 2", "Дорнод", true});
  folder.AddFacility(3, {"UB-1", "Улаанбаатар 1", "Улаанбаатар", false});
}

TEST(KpiTallyFolderTest, RowsOfOneAimagAndMonthFoldIntoOneGroupOfThatMonthsPart) {
  KpiDimensions dims;
  dims.time = TimeGrain::kMonth;
  dims.aimag = true;
  KpiTallyFolder folder(dims, Window("2025-01-01", "2025-12-31"), true);
  Registry(folder);
  auto add = [&](const char* day, int64_t facility, const char* cls, int64_t received) {
    const auto place = folder.PlaceOf(Day(day), facility, folder.Facility(facility), cls, true);
    for (KpiFiguresTally* t : {place.totals, place.group})
      t->AddStudies(facility, folder.Facility(facility)->active, received, 0, 0, 0);
    return place;
  };
  const auto a = add("2025-03-02", 1, "CT", 4);
  const auto b = add("2025-03-30", 2, "XRAY", 5);  // same aimag and month: same group
  EXPECT_EQ(a.group, b.group);
  EXPECT_EQ(a.totals, b.totals);
  add("2025-04-01", 1, "CT", 1);
  add("2025-03-05", 3, "CT", 7);  // inactive: counted, but not as a facility

  const auto parts = folder.TakeParts();
  ASSERT_EQ(parts.size(), 2u);  // March and April
  const KpiTallies& march = parts.at(Day("2025-03-01"));
  ASSERT_EQ(march.groups.size(), 2u);
  for (const auto& [key, tally] : march.groups) {
    EXPECT_EQ(*key.time, Day("2025-03-01"));
    EXPECT_TRUE(key.facility_code.empty());
    const KpiFigures f = tally.Build(true);
    if (key.aimag == "Дорнод") {
      EXPECT_EQ(f.studies_received, 9);
      EXPECT_EQ(f.telemedicine_facilities, 2);
    } else {
      EXPECT_EQ(key.aimag, "Улаанбаатар");
      EXPECT_EQ(f.studies_received, 7);
      EXPECT_EQ(f.telemedicine_facilities, 0);
    }
  }
  EXPECT_EQ(march.totals.Build(true).studies_received, 16);
  EXPECT_EQ(parts.at(Day("2025-04-01")).totals.Build(true).studies_received, 1);
}

TEST(KpiTallyFolderTest, AQuarterIsOneGroupAndWithoutMonthByMonthOnePart) {
  KpiDimensions dims;
  dims.time = TimeGrain::kQuarter;
  dims.modality = true;
  KpiTallyFolder folder(dims, Window("2025-02-10", "2025-08-31"), false);
  Registry(folder);
  const auto feb = folder.PlaceOf(Day("2025-02-10"), 1, folder.Facility(1), "CT", true);
  const auto mar = folder.PlaceOf(Day("2025-03-31"), 2, folder.Facility(2), "CT", true);
  const auto apr = folder.PlaceOf(Day("2025-04-01"), 2, folder.Facility(2), "CT", true);
  const auto other = folder.PlaceOf(Day("2025-03-01"), 2, folder.Facility(2), "OTHER", true);
  EXPECT_EQ(feb.group, mar.group);
  EXPECT_NE(mar.group, apr.group);
  EXPECT_NE(mar.group, other.group);
  // E-examinations have no class: asked by class, they count in the totals only.
  const auto consultation = folder.PlaceOf(Day("2025-03-01"), 1, folder.Facility(1), "", false);
  EXPECT_EQ(consultation.group, nullptr);
  EXPECT_EQ(consultation.totals, feb.totals);

  const auto parts = folder.TakeParts();
  ASSERT_EQ(parts.size(), 1u);
  const KpiTallies& whole = parts.at(Day("2025-02-01"));
  ASSERT_EQ(whole.groups.size(), 3u);
  std::vector<std::string> keys;
  for (const auto& [key, tally] : whole.groups)
    keys.push_back(FormatDay(*key.time) + " " + key.modality_class);
  EXPECT_EQ(keys, (std::vector<std::string>{"2025-01-01 CT", "2025-01-01 OTHER", "2025-04-01 CT"}));
}

TEST(KpiTallyFolderTest, TheFilterLeavesOtherFacilitiesOut) {
  KpiFilter by_aimag = Window("2025-01-01", "2025-01-31");
  by_aimag.aimag = "Дорнод";
  KpiTallyFolder aimag(KpiDimensions(), by_aimag, false);
  Registry(aimag);
  EXPECT_TRUE(aimag.filtered());
  EXPECT_NE(aimag.Facility(1), nullptr);
  EXPECT_NE(aimag.Facility(2), nullptr);
  EXPECT_EQ(aimag.Facility(3), nullptr);
  EXPECT_EQ(aimag.FacilityIds().size(), 2u);

  KpiFilter by_code = Window("2025-01-01", "2025-01-31");
  by_code.facility_code = "UB-1";
  KpiTallyFolder code(KpiDimensions(), by_code, false);
  Registry(code);
  EXPECT_EQ(code.FacilityIds(), std::vector<int64_t>{3});
  EXPECT_EQ(code.Facility(1), nullptr);

  KpiTallyFolder all(KpiDimensions(), Window("2025-01-01", "2025-01-31"), false);
  Registry(all);
  EXPECT_FALSE(all.filtered());
  EXPECT_EQ(all.FacilityIds().size(), 3u);
  // Not grouped: every row's place is the one part's totals, with no group.
  const auto p = all.PlaceOf(Day("2025-01-09"), 2, all.Facility(2), "CT", true);
  EXPECT_EQ(p.group, nullptr);
  EXPECT_EQ(all.PlaceOf(Day("2025-01-20"), 3, all.Facility(3), "XRAY", true).totals, p.totals);
}

}  // namespace
}  // namespace telerad
