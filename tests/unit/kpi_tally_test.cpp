// KpiFiguresTally and KpiTallies: tallies of disjoint parts of a window merge into the
// tally of the whole (counts add, a facility counts once, turnaround percentiles come
// from the merged histograms), which is what lets answers be remembered in parts of whole months.
#include "src/kpi/kpi_tally.h"

#include <gtest/gtest.h>

namespace telerad {
namespace {

struct StudyRow {
  int64_t facility;
  bool active;
  int64_t received, ct, xray, other;
};
struct TurnaroundRow {
  int priority, bucket;
  int64_t n, breaches;
};

void AddAll(KpiFiguresTally& t, const std::vector<StudyRow>& studies,
            const std::vector<TurnaroundRow>& turnaround) {
  for (const StudyRow& r : studies)
    t.AddStudies(r.facility, r.active, r.received, r.ct, r.xray, r.other);
  for (const TurnaroundRow& r : turnaround) t.AddTurnaround(r.priority, r.bucket, r.n, r.breaches);
}

void ExpectSame(const KpiFigures& a, const KpiFigures& b) {
  EXPECT_EQ(a.studies_received, b.studies_received);
  EXPECT_EQ(a.diagnoses_ct, b.diagnoses_ct);
  EXPECT_EQ(a.diagnoses_xray, b.diagnoses_xray);
  EXPECT_EQ(a.diagnoses_other, b.diagnoses_other);
  EXPECT_EQ(a.telemedicine_facilities, b.telemedicine_facilities);
  EXPECT_EQ(a.e_exams_booked, b.e_exams_booked);
  EXPECT_EQ(a.e_exams_completed, b.e_exams_completed);
  EXPECT_EQ(a.e_exams_cancelled, b.e_exams_cancelled);
  EXPECT_EQ(a.e_exams_no_show, b.e_exams_no_show);
  EXPECT_EQ(a.online_hospital_facilities, b.online_hospital_facilities);
  ASSERT_EQ(a.turnaround.has_value(), b.turnaround.has_value());
  if (a.turnaround.has_value()) {
    EXPECT_EQ(a.turnaround->count, b.turnaround->count);
    EXPECT_DOUBLE_EQ(a.turnaround->median_seconds, b.turnaround->median_seconds);
    EXPECT_DOUBLE_EQ(a.turnaround->p90_seconds, b.turnaround->p90_seconds);
    EXPECT_EQ(a.turnaround->sla_breaches, b.turnaround->sla_breaches);
  }
  for (int p = 0; p < 3; ++p) {
    ASSERT_EQ(a.turnaround_by_priority[p].has_value(), b.turnaround_by_priority[p].has_value());
    if (a.turnaround_by_priority[p]) {
      EXPECT_DOUBLE_EQ(a.turnaround_by_priority[p]->median_seconds,
                       b.turnaround_by_priority[p]->median_seconds);
    }
  }
}

TEST(KpiTallyTest, TalliesOfTwoPartsMergeIntoTheTallyOfTheWhole) {
  const std::vector<StudyRow> january = {
      {1, true, 10, 4, 3, 1}, {2, true, 5, 5, 0, 0}, {3, false, 7, 7, 0, 0}};
  const std::vector<StudyRow> february = {
      {1, true, 2, 1, 1, 0}, {4, true, 1, 0, 0, 1}, {2, true, 0, 0, 0, 0}};
  // January's signatures are fast, February's slow: neither month's median is the year's.
  const std::vector<TurnaroundRow> fast = {{2, 40, 30, 0}, {1, 20, 5, 1}};
  const std::vector<TurnaroundRow> slow = {{2, 70, 40, 12}, {0, 10, 2, 0}};

  KpiFiguresTally whole, first, second;
  AddAll(whole, january, fast);
  AddAll(whole, february, slow);
  whole.AddConsultations(1, true, 3, 2, 1, 0);
  whole.AddConsultations(5, true, 1, 1, 0, 0);
  AddAll(first, january, fast);
  first.AddConsultations(1, true, 3, 2, 1, 0);
  AddAll(second, february, slow);
  second.AddConsultations(5, true, 1, 1, 0, 0);
  first.Merge(second);

  const KpiFigures merged = first.Build(true), expected = whole.Build(true);
  ExpectSame(merged, expected);
  EXPECT_EQ(merged.studies_received, 25);
  // Facilities 1, 2 (January) and 4 (February); 3 is inactive, 2 sent nothing in
  // February: three, each once.
  EXPECT_EQ(merged.telemedicine_facilities, 3);
  EXPECT_EQ(merged.online_hospital_facilities, 2);
  EXPECT_EQ(merged.turnaround->count, 77);
  EXPECT_EQ(merged.turnaround->sla_breaches, 13);
}

// Rows arrive in any order (per day, facility and class), a facility many times.
TEST(KpiTallyTest, AFacilityIdSetHoldsEachFacilityOnceWhateverTheOrder) {
  FacilityIdSet a, b, empty;
  for (int64_t id : {7, 3, 7, 9, 3, 1, 9}) a.Insert(id);
  EXPECT_EQ(a.size(), 4u);  // 1, 3, 7, 9
  for (int64_t id : {9, 2, 10, 1}) b.Insert(id);
  a.Merge(b);
  EXPECT_EQ(a.size(), 6u);  // 1, 2, 3, 7, 9, 10
  a.Merge(empty);
  EXPECT_EQ(a.size(), 6u);
  empty.Merge(a);
  EXPECT_EQ(empty.size(), 6u);
  empty.Insert(2);
  empty.Insert(4);
  EXPECT_EQ(empty.size(), 7u);
}

TEST(KpiTallyTest, GroupsMergeByTheirKeyAndBuildInKeyOrder) {
  KpiGroupKey ulaanbaatar, dornod;
  ulaanbaatar.aimag = "Улаанбаатар";
  dornod.aimag = "Дорнод";
  KpiTallies a, b;
  a.groups[ulaanbaatar].AddStudies(1, true, 3, 3, 0, 0);
  a.totals.AddStudies(1, true, 3, 3, 0, 0);
  b.groups[ulaanbaatar].AddStudies(1, true, 2, 0, 2, 0);
  b.groups[dornod].AddStudies(2, true, 4, 0, 0, 4);
  b.totals.AddStudies(1, true, 2, 0, 2, 0);
  b.totals.AddStudies(2, true, 4, 0, 0, 4);
  a.Merge(b);
  const KpiGroupedFigures figures = a.Build(/*by_modality=*/false);
  EXPECT_EQ(figures.totals.studies_received, 9);
  EXPECT_EQ(figures.totals.telemedicine_facilities, 2);
  ASSERT_EQ(figures.groups.size(), 2u);
  EXPECT_EQ(figures.groups[0].key.aimag, "Дорнод");  // the key's order
  EXPECT_EQ(figures.groups[0].figures.studies_received, 4);
  EXPECT_EQ(figures.groups[1].figures.studies_received, 5);
  EXPECT_EQ(figures.groups[1].figures.diagnoses(), 5);
  EXPECT_TRUE(figures.groups[1].figures.has_consultations);
  EXPECT_FALSE(a.Build(/*by_modality=*/true).groups[1].figures.has_consultations);
}

}  // namespace
}  // namespace telerad
