#include "src/demo/demo_data.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "src/base/icd_code.h"
#include "src/base/uid.h"

namespace telerad {
namespace {

using date::year_month_day;
using namespace date::literals;

const DemoData& Data() {
  static const DemoData data = GenerateDemoData();
  return data;
}

bool Between(year_month_day day, year_month_day first, year_month_day last) {
  return first <= day && day <= last;
}

TEST(DemoDataTest, SignedDiagnosesMatchTheMinistryReport) {
  std::map<std::string, int> by_class;
  for (const DemoStudy& s : Data().studies)
    if (s.status == "reported") ++by_class[s.modality_class];
  EXPECT_EQ(by_class["CT"], 1878);
  EXPECT_EQ(by_class["XRAY"], 220);
  EXPECT_EQ(by_class.size(), 2u);
}

TEST(DemoDataTest, DiagnosesFallOnLocalDaysFromJanuarySecondToMayEnd) {
  for (const DemoStudy& s : Data().studies) {
    if (s.status != "reported") continue;
    ASSERT_TRUE(s.reported_at.has_value());
    EXPECT_TRUE(Between(DemoLocalDay(*s.reported_at), 2025_y / 1 / 2, 2025_y / 5 / 31)) << s.uid;
  }
}

TEST(DemoDataTest, LocalDayIsUlaanbaatarsNotUtcs) {
  // 2025-01-01 18:30 UTC is 2025-01-02 02:30 in Ulaanbaatar (UTC+8).
  const DemoTime t =
      date::sys_days{2025_y / 1 / 1} + std::chrono::hours(18) + std::chrono::minutes(30);
  EXPECT_EQ(DemoLocalDay(t), 2025_y / 1 / 2);
}

TEST(DemoDataTest, DiagnosesGrowMonthByMonth) {
  std::map<unsigned, int> per_month;
  for (const DemoStudy& s : Data().studies)
    if (s.reported_at) ++per_month[static_cast<unsigned>(DemoLocalDay(*s.reported_at).month())];
  ASSERT_EQ(per_month.size(), 5u);
  for (unsigned m = 2; m <= 5; ++m) EXPECT_GT(per_month[m], per_month[m - 1]) << m;
}

TEST(DemoDataTest, StudyTimesAreConsistentAndSomeBreachTheirSla) {
  int breaches = 0, stat = 0;
  std::set<std::string> uids;
  for (const DemoStudy& s : Data().studies) {
    EXPECT_TRUE(IsValidUid(s.uid)) << s.uid;
    EXPECT_EQ(s.uid.rfind("2.25.", 0), 0u);
    EXPECT_TRUE(uids.insert(s.uid).second) << s.uid;
    EXPECT_LE(s.received_at, s.last_instance_at);
    EXPECT_LT(s.last_instance_at, s.ready_at);
    EXPECT_LT(s.ready_at, s.sla_due_at);
    if (s.priority == 0) ++stat;
    if (!s.reported_at) continue;
    EXPECT_LE(s.ready_at, s.draft_at);
    EXPECT_LT(s.draft_at, *s.reported_at);
    EXPECT_GE(s.radiologist, 0);
    EXPECT_FALSE(s.findings.empty());
    EXPECT_FALSE(s.icd_codes.empty());
    if (*s.reported_at > s.sla_due_at) ++breaches;
  }
  EXPECT_GT(stat, 50);
  EXPECT_GT(breaches, 50);
  EXPECT_LT(breaches, 400);
}

TEST(DemoDataTest, BacklogIsADozenUnsignedJuneStudies) {
  int backlog = 0;
  for (const DemoStudy& s : Data().studies) {
    if (s.status == "reported") continue;
    ++backlog;
    EXPECT_TRUE(s.status == "ready" || s.status == "claimed") << s.status;
    EXPECT_FALSE(s.reported_at.has_value());
    EXPECT_TRUE(Between(DemoLocalDay(s.received_at), 2025_y / 6 / 1, 2025_y / 6 / 30));
    EXPECT_EQ(s.status == "claimed", s.radiologist >= 0);
  }
  EXPECT_EQ(backlog, 12);
}

TEST(DemoDataTest, SixtyFacilitiesCoverEveryAimagAndTheCapitalsDistricts) {
  const DemoData& d = Data();
  EXPECT_GE(d.facilities.size(), 60u);
  std::set<std::string> aimags, districts, codes, ae_titles;
  for (const DemoFacility& f : d.facilities) {
    aimags.insert(f.aimag);
    if (f.aimag == "Улаанбаатар") districts.insert(f.soum);
    EXPECT_TRUE(codes.insert(f.code).second) << f.code;
    EXPECT_TRUE(ae_titles.insert(f.ae_title).second) << f.ae_title;
    EXPECT_LE(f.ae_title.size(), 16u);
  }
  EXPECT_EQ(aimags.size(), 22u);  // 21 aimags and the capital
  EXPECT_TRUE(aimags.count("Улаанбаатар"));
  EXPECT_EQ(districts,
            (std::set<std::string>{"Багануур", "Багахангай", "Баянгол", "Баянзүрх", "Налайх",
                                   "Сонгинохайрхан", "Сүхбаатар", "Хан-Уул", "Чингэлтэй"}));
}

TEST(DemoDataTest, SomeFacilitiesNeverSendAnything) {
  const DemoData& d = Data();
  std::set<size_t> active;
  for (const DemoStudy& s : d.studies) active.insert(s.facility);
  for (const DemoConsultation& c : d.consultations) active.insert(c.facility);
  EXPECT_LT(active.size(), d.facilities.size());
  EXPECT_GE(active.size(), 50u);
}

TEST(DemoDataTest, CompletedExaminationsMatchTheMinistryReport) {
  int completed = 0;
  std::set<size_t> facilities;
  std::map<std::string, int> by_status;
  for (const DemoConsultation& c : Data().consultations) {
    ++by_status[c.status];
    if (c.status != "completed") continue;
    ++completed;
    facilities.insert(c.facility);
    ASSERT_TRUE(c.completed_at.has_value());
    EXPECT_TRUE(Between(DemoLocalDay(*c.completed_at), 2025_y / 1 / 8, 2025_y / 6 / 30));
    EXPECT_FALSE(c.conclusion.empty());
    EXPECT_FALSE(c.icd_codes.empty());
  }
  EXPECT_EQ(completed, 4147);
  EXPECT_GE(facilities.size(), 26u);  // the target is 25
  EXPECT_GT(by_status["cancelled"], 0);
  EXPECT_GT(by_status["no_show"], 0);
  EXPECT_GT(by_status["requested"], 0);
  EXPECT_GT(by_status["accepted"], 0);
}

TEST(DemoDataTest, JanuaryExaminationsAreKhanUulsPilot) {
  const DemoData& d = Data();
  for (const DemoConsultation& c : d.consultations) {
    if (!c.completed_at || DemoLocalDay(*c.completed_at) >= 2025_y / 2 / 1) continue;
    EXPECT_EQ(d.facilities[c.facility].soum, "Хан-Уул");
  }
}

TEST(DemoDataTest, ExaminationsRespectTheTablesConstraints) {
  const DemoData& d = Data();
  std::set<std::string> specialties;
  for (const DemoConsultation& c : d.consultations) {
    specialties.insert(c.specialty);
    EXPECT_FALSE(c.reason.empty());
    EXPECT_FALSE(d.facilities[c.facility].booking_user.empty());
    if (c.status == "accepted" || c.status == "completed") {
      EXPECT_TRUE(c.slot_at.has_value());
      EXPECT_GE(c.specialist, 0);
    }
    EXPECT_EQ(c.status == "completed", c.completed_at.has_value());
    EXPECT_EQ(c.status == "cancelled" || c.status == "no_show", c.closed_at.has_value());
    if (c.accepted_at) {
      EXPECT_LE(c.created_at, *c.accepted_at);
    }
    if (c.completed_at) {
      EXPECT_LT(*c.slot_at, *c.completed_at);
    }
    if (c.closed_at) {
      EXPECT_LT(c.created_at, *c.closed_at);
    }
  }
  EXPECT_GE(specialties.size(), 4u);
}

TEST(DemoDataTest, IcdCodesAreIcd10) {
  for (const DemoStudy& s : Data().studies)
    for (const std::string& code : s.icd_codes)
      EXPECT_EQ(ClassifyIcdCode(code), IcdSystem::kIcd10) << code;
  for (const DemoConsultation& c : Data().consultations)
    for (const std::string& code : c.icd_codes)
      EXPECT_EQ(ClassifyIcdCode(code), IcdSystem::kIcd10) << code;
}

TEST(DemoDataTest, TargetsAreTheMinistrys) {
  const DemoData& d = Data();
  ASSERT_EQ(d.targets.size(), 2u);
  EXPECT_EQ(d.targets[0].indicator, "telemedicine_facilities");
  EXPECT_EQ(d.targets[0].period, "2025");
  EXPECT_EQ(d.targets[0].baseline, 250);
  EXPECT_EQ(d.targets[0].target, 260);
  EXPECT_EQ(d.targets[1].indicator, "online_hospital_facilities");
  EXPECT_FALSE(d.targets[1].baseline.has_value());
  EXPECT_EQ(d.targets[1].target, 25);
}

TEST(DemoDataTest, EveryRunGivesTheSameData) {
  const DemoData again = GenerateDemoData();
  const DemoData& d = Data();
  ASSERT_EQ(again.studies.size(), d.studies.size());
  ASSERT_EQ(again.consultations.size(), d.consultations.size());
  for (size_t i = 0; i < d.studies.size(); ++i) {
    EXPECT_EQ(again.studies[i].uid, d.studies[i].uid);
    EXPECT_EQ(again.studies[i].reported_at, d.studies[i].reported_at);
    EXPECT_EQ(again.studies[i].patient.name, d.studies[i].patient.name);
  }
  for (size_t i = 0; i < d.consultations.size(); ++i) {
    EXPECT_EQ(again.consultations[i].created_at, d.consultations[i].created_at);
    EXPECT_EQ(again.consultations[i].facility, d.consultations[i].facility);
  }
}

}  // namespace
}  // namespace telerad
