// KpiMetrics over a fake repository, serialised by ServerMetrics and parsed back: the
// families, their types and labels, the zero-filled backlog, an outage, and which local
// day is today.
#include "src/kpi/kpi_metrics.h"

#include <gtest/gtest.h>

#include "src/kpi/kpi_period.h"
#include "src/monitoring/server_metrics.h"
#include "tests/prometheus_text.h"
#include "tests/unit/fake_clock.h"
#include "tests/unit/fakes.h"

namespace telerad {
namespace {

using testing::ParsePrometheusText;
using testing::PromExposition;

class KpiMetricsTest : public ::testing::Test {
 protected:
  KpiMetricsTest() : metrics_("test", clock_) {
    metrics_.AddCollectable(std::make_shared<KpiMetrics>(repo_, "Asia/Ulaanbaatar", clock_));
  }
  PromExposition Scrape() {
    const std::string text = metrics_.Scrape();
    PromExposition e = ParsePrometheusText(text);
    EXPECT_TRUE(e.ok()) << e.error << "\n" << text;
    return e;
  }
  FakeClock clock_;
  FakeKpiRepository repo_;
  ServerMetrics metrics_;
};

TEST_F(KpiMetricsTest, CountersCarryFacilityAimagAndModalityClassOnly) {
  repo_.totals = {{"GA-HOSP", "Говь-Алтай", "CT", 12, 9, 0},
                  {"GA-HOSP", "Говь-Алтай", "XRAY", 3, 3, 0},
                  {"GA-HOSP", "Говь-Алтай", "", 0, 0, 41},
                  {"UB-BZD", "Улаанбаатар", "CT", 5, 0, 0}};
  repo_.facilities = {2, 1};
  PromExposition e = Scrape();
  EXPECT_EQ(e.type["telerad_kpi_studies_received_total"], "counter");
  EXPECT_EQ(e.type["telerad_kpi_diagnoses_total"], "counter");
  EXPECT_EQ(e.type["telerad_kpi_e_examinations_completed_total"], "counter");
  EXPECT_EQ(e.type["telerad_kpi_facilities"], "gauge");
  EXPECT_EQ(e.type["telerad_kpi_backlog_studies"], "gauge");

  EXPECT_EQ(e.Sum("telerad_kpi_studies_received_total"), 20);
  EXPECT_EQ(e.Sum("telerad_kpi_studies_received_total", {{"aimag", "Говь-Алтай"}}), 15);
  EXPECT_EQ(
      e.Sum("telerad_kpi_diagnoses_total", {{"facility", "GA-HOSP"}, {"modality_class", "CT"}}), 9);
  EXPECT_EQ(e.Sum("telerad_kpi_diagnoses_total", {{"modality_class", "XRAY"}}), 3);
  EXPECT_EQ(e.Count("telerad_kpi_studies_received_total"), 3u);  // no e-examination rows
  EXPECT_EQ(e.Sum("telerad_kpi_e_examinations_completed_total", {{"facility", "GA-HOSP"}}), 41);
  EXPECT_EQ(e.Count("telerad_kpi_e_examinations_completed_total"), 1u);
  EXPECT_EQ(e.Sum("telerad_kpi_facilities", {{"activity", "telemedicine"}}), 2);
  EXPECT_EQ(e.Sum("telerad_kpi_facilities", {{"activity", "online_hospital"}}), 1);
  // Asked for today's local day, not some fixed date.
  EXPECT_EQ(repo_.using_asked_for, LocalDayOf("Asia/Ulaanbaatar", clock_.Now()));

  const std::set<std::string> allowed = {"facility", "aimag",    "modality_class",
                                         "activity", "priority", "age"};
  for (const auto& s : e.samples) {
    if (s.name.rfind("telerad_kpi_", 0) != 0) continue;
    for (const auto& [label, value] : s.labels) EXPECT_TRUE(allowed.count(label)) << label;
  }
}

// Ulaanbaatar is UTC+8 with no daylight saving: its day turns at 16:00 UTC. The facility
// gauge's "to date" must turn with it, not with the UTC date.
TEST_F(KpiMetricsTest, TodayFollowsTheClockAcrossLocalMidnightInTheConfiguredZone) {
  using date::days;
  using date::March;
  using std::chrono::hours;
  using std::chrono::microseconds;
  const date::sys_days utc_day = date::year(2025) / March / 1;
  clock_.SetNow(utc_day + hours(16) - microseconds(1));  // 23:59:59.999999 local
  Scrape();
  EXPECT_EQ(repo_.using_asked_for, utc_day);
  clock_.Advance(microseconds(1));  // 00:00 local, still 1 March in UTC
  Scrape();
  EXPECT_EQ(repo_.using_asked_for, utc_day + days(1));
  clock_.Advance(hours(8));  // 00:00 UTC on 2 March: the local day stays
  Scrape();
  EXPECT_EQ(repo_.using_asked_for, utc_day + days(1));
}

TEST_F(KpiMetricsTest, BacklogHasEveryPriorityAndAgeZerosIncluded) {
  repo_.backlog = {{0, "lt_1h", 2}, {2, "ge_7d", 7}, {2, "1h_4h", 1}};
  PromExposition e = Scrape();
  EXPECT_EQ(e.Count("telerad_kpi_backlog_studies"), 15u);  // 3 priorities x 5 ages
  EXPECT_EQ(e.Sum("telerad_kpi_backlog_studies"), 10);
  EXPECT_EQ(e.Sum("telerad_kpi_backlog_studies", {{"priority", "stat"}, {"age", "lt_1h"}}), 2);
  EXPECT_EQ(e.Sum("telerad_kpi_backlog_studies", {{"priority", "routine"}, {"age", "ge_7d"}}), 7);
  EXPECT_EQ(e.Count("telerad_kpi_backlog_studies", {{"priority", "urgent"}}), 5u);
  EXPECT_EQ(e.Sum("telerad_kpi_backlog_studies", {{"priority", "urgent"}}), 0);
}

TEST_F(KpiMetricsTest, ADatabaseOutageLeavesTheKpiFamiliesOutAndIsCounted) {
  repo_.outage = true;
  PromExposition e = Scrape();
  EXPECT_EQ(e.type.count("telerad_kpi_diagnoses_total"), 0u);
  EXPECT_EQ(e.Sum("telerad_metrics_collect_errors_total"), 1);
  EXPECT_EQ(e.type["telerad_dicom_instances_received_total"], "counter");  // health still there
  repo_.outage = false;
  EXPECT_EQ(Scrape().type["telerad_kpi_diagnoses_total"], "counter");
}

}  // namespace
}  // namespace telerad
