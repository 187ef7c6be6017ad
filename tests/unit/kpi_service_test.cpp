// KpiService's rules over a fake repository: who may read, how windows and groupings
// are checked, and how the ministry's table takes its targets and percentages.
#include "src/kpi/kpi_service.h"

#include <gtest/gtest.h>

#include "tests/test_audit.h"
#include "tests/unit/fakes.h"

namespace telerad {
namespace {

using namespace date::literals;

Principal Who(Role role) {
  Principal p;
  p.user_id = 1;
  p.username = "someone";
  p.role = role;
  if (role == Role::kFacility) p.facility_id = 1;
  return p;
}

KpiTarget Target(const std::string& indicator, const std::string& period,
                 std::optional<double> baseline, std::optional<double> target) {
  KpiTarget t;
  t.indicator = indicator;
  t.period = period;
  t.baseline = baseline;
  t.target = target;
  return t;
}

class KpiServiceTest : public ::testing::Test {
 protected:
  FakeKpiRepository repo_;
  KpiService service_{repo_, "Asia/Ulaanbaatar"};
};

TEST_F(KpiServiceTest, OnlyMinistryAndAdminsReadFigures) {
  KpiRequest q;
  q.period = "2025H1";
  for (Role role : {Role::kRadiologist, Role::kFacility, Role::kSpecialist}) {
    EXPECT_EQ(service_.Figures(Who(role), q).status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(service_.Report(Who(role), "2025H1").status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(service_.Targets(Who(role), "").status().code(), StatusCode::kPermissionDenied);
  }
  EXPECT_TRUE(service_.Figures(Who(Role::kMinistry), q).ok());
  EXPECT_TRUE(service_.Figures(Who(Role::kAdmin), q).ok());
  // Only admins set targets.
  EXPECT_EQ(service_.PutTarget(Who(Role::kMinistry), "e_examinations", "2025", 1, 2, Audit())
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_.DeleteTarget(Who(Role::kMinistry), "e_examinations", "2025", Audit()).code(),
            StatusCode::kPermissionDenied);
}

TEST_F(KpiServiceTest, TheWindowIsLocalDaysWithTheirInstants) {
  KpiRequest q;
  q.from = "2025-01-01";
  q.to = "2025-05-31";
  q.group_by = {"month", "aimag"};
  ASSERT_TRUE(service_.Figures(Who(Role::kMinistry), q).ok());
  EXPECT_EQ(repo_.last_filter.first, date::sys_days(2025_y / 1 / 1));
  EXPECT_EQ(repo_.last_filter.last, date::sys_days(2025_y / 5 / 31));
  EXPECT_EQ(repo_.last_filter.start, date::sys_days(2024_y / 12 / 31) + std::chrono::hours(16));
  EXPECT_EQ(repo_.last_filter.end, date::sys_days(2025_y / 5 / 31) + std::chrono::hours(16));
  EXPECT_EQ(repo_.last_dims.time, TimeGrain::kMonth);
  EXPECT_TRUE(repo_.last_dims.aimag);
  EXPECT_FALSE(repo_.last_dims.facility);
  EXPECT_EQ(repo_.using_asked_for, date::sys_days(2025_y / 5 / 31));
}

TEST_F(KpiServiceTest, BadWindowsAndGroupingsAreRefused) {
  auto code = [&](KpiRequest q) { return service_.Figures(Who(Role::kAdmin), q).status().code(); };
  KpiRequest q;
  EXPECT_EQ(code(q), StatusCode::kInvalidArgument);  // no window
  q.period = "2025H1";
  q.from = "2025-01-01";
  EXPECT_EQ(code(q), StatusCode::kInvalidArgument);  // both forms
  q = {};
  q.from = "2025-06-01";
  q.to = "2025-01-01";
  EXPECT_EQ(code(q), StatusCode::kInvalidArgument);  // reversed
  q = {};
  q.period = "2025";
  q.group_by = {"month", "year"};
  EXPECT_EQ(code(q), StatusCode::kInvalidArgument);  // two time grains
  q.group_by = {"patient"};
  EXPECT_EQ(code(q), StatusCode::kInvalidArgument);  // not a dimension
  q.group_by = {"day"};
  q.period = "";
  q.from = "2020-01-01";
  q.to = "2025-01-01";
  EXPECT_EQ(code(q), StatusCode::kInvalidArgument);  // daily over five years
  q.group_by = {"month"};
  EXPECT_EQ(code(q), StatusCode::kOk);
  q.aimag = std::string("Дорнод\x01", 13);
  EXPECT_EQ(code(q), StatusCode::kInvalidArgument);  // control bytes in a filter
}

TEST_F(KpiServiceTest, TheReportTakesThePeriodsTargetElseTheYears) {
  repo_.figures.diagnoses_ct = 1878;
  repo_.figures.diagnoses_xray = 220;
  repo_.figures.e_exams_completed = 4147;
  repo_.facilities = {45, 26};
  TurnaroundStats t;
  t.count = 2098;
  t.median_seconds = 9 * 3600 + 1800;  // 9.5 h
  t.sla_breaches = 154;
  repo_.figures.turnaround = t;
  repo_.targets = {Target("telemedicine_facilities", "2025", 250, 260),
                   Target("online_hospital_facilities", "2025", std::nullopt, 25),
                   Target("online_hospital_facilities", "2025H1", std::nullopt, 20),
                   Target("turnaround_median_hours", "2025", std::nullopt, 12),
                   Target("e_examinations", "2024", 1, 1)};  // another year: ignored
  auto report = service_.Report(Who(Role::kMinistry), "2025H1");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->period.Name(), "2025H1");
  std::map<std::string, KpiReportRow> rows;
  for (const KpiReportRow& r : report->rows) rows[r.indicator->id] = r;
  ASSERT_EQ(rows.size(), KpiIndicators().size());
  EXPECT_EQ(rows["image_diagnoses"].achieved, 2098);
  EXPECT_EQ(rows["image_diagnoses_ct"].achieved, 1878);
  EXPECT_EQ(rows["image_diagnoses_xray"].achieved, 220);
  EXPECT_EQ(rows["e_examinations"].achieved, 4147);
  EXPECT_FALSE(rows["e_examinations"].target);
  EXPECT_FALSE(rows["e_examinations"].percent);
  EXPECT_EQ(rows["telemedicine_facilities"].achieved, 45);
  EXPECT_EQ(rows["telemedicine_facilities"].baseline, 250);
  EXPECT_EQ(rows["telemedicine_facilities"].percent, 17.3);
  EXPECT_EQ(rows["telemedicine_facilities"].target_period, "2025");
  EXPECT_EQ(rows["online_hospital_facilities"].target, 20);  // the half-year's own
  EXPECT_EQ(rows["online_hospital_facilities"].percent, 130.0);
  EXPECT_EQ(rows["turnaround_median_hours"].achieved, 9.5);
  EXPECT_EQ(rows["turnaround_median_hours"].percent, 126.3);  // lower is better
  EXPECT_EQ(rows["sla_breach_percent"].achieved, 7.3);        // 154 / 2098
}

TEST_F(KpiServiceTest, TargetsAreCheckedAndStoredUnderTheCanonicalPeriod) {
  const Principal admin = Who(Role::kAdmin);
  EXPECT_EQ(service_.PutTarget(admin, "no_such", "2025", 1, 2, Audit()).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_.PutTarget(admin, "e_examinations", "2025H3", 1, 2, Audit()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(service_.PutTarget(admin, "e_examinations", "2025", -1, 2, Audit()).status().code(),
            StatusCode::kUnprocessable);
  EXPECT_EQ(service_.PutTarget(admin, "e_examinations", "2025", std::nullopt, std::nullopt, Audit())
                .status()
                .code(),
            StatusCode::kUnprocessable);
  auto saved = service_.PutTarget(admin, "e_examinations", "2025", std::nullopt, 8000, Audit());
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->updated_by, "someone");
  EXPECT_EQ(saved->target, 8000);
}

TEST_F(KpiServiceTest, StartUpAppliesTheConfiguredZone) {
  ASSERT_TRUE(service_.ApplyTimeZone().ok());
  EXPECT_EQ(repo_.zone_, "Asia/Ulaanbaatar");
}

}  // namespace
}  // namespace telerad
