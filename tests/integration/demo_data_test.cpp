// `telerad demo-data` against a fresh database: the real binary, migrated and seeded as
// the server is, then the KPI aggregates (kept by the schema's triggers) checked with
// SQL, and through the real server the ministry's report that the demo exists to show.
#include <gtest/gtest.h>

#include <string>

#include "tests/integration/harness.h"
#include "tests/prometheus_text.h"

namespace telerad::testing {
namespace {

class DemoDataTest : public ::testing::Test {
 protected:
  CommandResult Telerad(const std::string& command) {
    return TeleradCommand(db_, "telerad", command);
  }

  // migrate + seed-demo (as TeleradServer::Start does), then demo-data.
  void LoadDemo() {
    CommandResult seed = Telerad("seed-demo");
    ASSERT_EQ(seed.exit_code, 0) << seed.output;
    CommandResult load = Telerad("demo-data");
    ASSERT_EQ(load.exit_code, 0) << load.output;
  }

  // Diagnoses of `klass` ("" for all) on local days up to 2025-05-31.
  std::string Diagnosed(const std::string& klass) {
    std::string where = "day <= '2025-05-31'";
    if (!klass.empty()) where += " AND modality_class = '" + klass + "'";
    return db_.Scalar("SELECT sum(diagnosed) FROM kpi_study_daily WHERE " + where);
  }

  // A fingerprint of every table demo-data writes.
  std::string Counts() {
    return db_.Scalar(
        "SELECT concat_ws(',', (SELECT count(*) FROM facility), (SELECT count(*) FROM app_user),"
        " (SELECT count(*) FROM study), (SELECT count(*) FROM series),"
        " (SELECT count(*) FROM report), (SELECT count(*) FROM consultation),"
        " (SELECT count(*) FROM kpi_target), (SELECT sum(received) FROM kpi_study_daily),"
        " (SELECT sum(booked) FROM kpi_consultation_daily),"
        " (SELECT count(*) FROM kpi_facility_activity),"
        " (SELECT sum(received) || '/' || sum(diagnosed) FROM kpi_study_monthly),"
        " (SELECT sum(completed) FROM kpi_consultation_monthly),"
        " (SELECT sum(signed) || '/' || sum(breaches) || '/' || sum(signed * bucket)"
        " FROM kpi_turnaround_monthly),"
        " (SELECT sum(signed) || '/' || sum(breaches) || '/' || sum(signed * bucket)"
        " || '/' || sum(signed * extract(doy FROM day)) FROM kpi_turnaround_national_daily),"
        " (SELECT sum(signed) || '/' || sum(breaches) FROM kpi_turnaround_national_monthly),"
        " (SELECT sum(received) || '/' || sum(diagnosed) FROM kpi_study_total),"
        " (SELECT sum(completed) FROM kpi_consultation_total))");
  }

  TestDatabase db_;
};

TEST_F(DemoDataTest, AggregatesShowTheMinistrysHalfYear) {
  LoadDemo();
  EXPECT_EQ(Diagnosed("CT"), "1878");
  EXPECT_EQ(Diagnosed("XRAY"), "220");
  EXPECT_EQ(Diagnosed(""), "2098");
  EXPECT_EQ(db_.Scalar("SELECT sum(diagnosed) FROM kpi_study_daily"), "2098");
  EXPECT_EQ(db_.Scalar("SELECT min(day) FROM kpi_study_daily WHERE diagnosed > 0"), "2025-01-02");
  EXPECT_EQ(db_.Scalar("SELECT sum(completed) FROM kpi_consultation_daily"
                       " WHERE day BETWEEN '2025-01-01' AND '2025-06-30'"),
            "4147");
  EXPECT_EQ(db_.Scalar("SELECT min(day) FROM kpi_consultation_daily WHERE completed > 0"),
            "2025-01-08");
  EXPECT_GE(std::stoi(db_.Scalar(
                "SELECT count(*) FROM kpi_facility_activity WHERE activity = 'online_hospital'")),
            26);
  EXPECT_GE(std::stoi(db_.Scalar("SELECT count(*) FROM facility")), 60);
  EXPECT_EQ(db_.Scalar("SELECT count(DISTINCT aimag) FROM facility"), "22");
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM study WHERE status IN ('ready', 'claimed')"), "12");
  EXPECT_EQ(db_.Scalar("SELECT concat_ws('/', baseline, target) FROM kpi_target"
                       " WHERE indicator = 'telemedicine_facilities' AND period = '2025'"),
            "250/260");
  EXPECT_EQ(db_.Scalar("SELECT concat_ws('/', baseline, target) FROM kpi_target"
                       " WHERE indicator = 'online_hospital_facilities' AND period = '2025'"),
            "25");
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM app_user WHERE username IN"
                       " ('rad2', 'rad3', 'spec2', 'spec3') AND demo"),
            "4");
}

// What a ministry user sees at once on a demo install: the seed's lines in the half-year
// report, the same in the window up to 2025-05-31, and in the Prometheus counters.
TEST_F(DemoDataTest, TheMinistrysReportReproducesTheSeedFigures) {
  LoadDemo();
  TeleradServer server(db_, {});
  server.Start();
  const std::string ministry = Login(server.http_port, "ministry1");
  HttpResponse report =
      Http("GET", server.http_port, "/api/v1/kpi/report?period=2025H1", "", ministry);
  ASSERT_EQ(report.status, 200) << report.body;
  std::map<std::string, nlohmann::json> row;
  for (const auto& r : report.json["rows"]) row[r["indicator"]] = r;
  EXPECT_EQ(row["image_diagnoses"]["achieved"], 2098);
  EXPECT_EQ(row["image_diagnoses_ct"]["achieved"], 1878);
  EXPECT_EQ(row["image_diagnoses_xray"]["achieved"], 220);
  EXPECT_EQ(row["e_examinations"]["achieved"], 4147);
  EXPECT_EQ(row["telemedicine_facilities"]["baseline"], 250);
  EXPECT_EQ(row["telemedicine_facilities"]["target"], 260);
  EXPECT_EQ(row["telemedicine_facilities"]["target_period"], "2025");
  EXPECT_EQ(row["online_hospital_facilities"]["target"], 25);
  EXPECT_GE(row["online_hospital_facilities"]["achieved"].get<int>(), 26);
  EXPECT_GT(row["online_hospital_facilities"]["percent"].get<double>(), 100.0);

  HttpResponse window =
      Http("GET", server.http_port, "/api/v1/kpi?from=2024-12-17&to=2025-05-31", "", ministry);
  ASSERT_EQ(window.status, 200) << window.body;
  const nlohmann::json& d = window.json["totals"]["diagnoses"];
  EXPECT_EQ(d["total"], 2098);
  EXPECT_EQ(d["CT"], 1878);
  EXPECT_EQ(d["XRAY"], 220);
  EXPECT_EQ(d["OTHER"], 0);

  HttpResponse csv = Http("GET", server.http_port, "/api/v1/kpi/report?period=2025H1", "", ministry,
                          {"Accept: text/csv"});
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("\r\nimage_diagnoses_ct,"), std::string::npos);
  EXPECT_NE(csv.body.find(",1878,"), std::string::npos) << csv.body;

  HttpResponse metrics = Http("GET", server.http_port, "/metrics", "", ministry);
  ASSERT_EQ(metrics.status, 200);
  PromExposition e = ParsePrometheusText(metrics.body);
  ASSERT_TRUE(e.ok()) << e.error;
  EXPECT_EQ(e.Sum("telerad_kpi_diagnoses_total"), 2098);
  EXPECT_EQ(e.Sum("telerad_kpi_diagnoses_total", {{"modality_class", "CT"}}), 1878);
  EXPECT_EQ(e.Sum("telerad_kpi_e_examinations_completed_total"), 4147);
  EXPECT_EQ(e.Sum("telerad_kpi_backlog_studies"), 12);
}

TEST_F(DemoDataTest, TriggersAgreeWithARecount) {
  LoadDemo();
  const std::string before = Counts() + "|" + Diagnosed("CT") + "|" + Diagnosed("XRAY");
  db_.Scalar("SELECT kpi_recount()");
  EXPECT_EQ(Counts() + "|" + Diagnosed("CT") + "|" + Diagnosed("XRAY"), before);
}

TEST_F(DemoDataTest, SecondRunRefusesAndChangesNothing) {
  LoadDemo();
  const std::string before = Counts();
  CommandResult again = Telerad("demo-data");
  EXPECT_EQ(again.exit_code, 8);  // refused
  EXPECT_NE(again.output.find("already loaded"), std::string::npos) << again.output;
  EXPECT_EQ(Counts(), before);
}

TEST_F(DemoDataTest, RefusesADatabaseWithStudies) {
  CommandResult seed = Telerad("seed-demo");
  ASSERT_EQ(seed.exit_code, 0) << seed.output;
  db_.Scalar(
      "INSERT INTO study (study_uid, facility_id) SELECT '1.2.3.4', id FROM facility"
      " WHERE code = 'DEMO' RETURNING id");
  const std::string before = Counts();
  CommandResult load = Telerad("demo-data");
  EXPECT_EQ(load.exit_code, 8);  // refused
  EXPECT_NE(load.output.find("new data folder"), std::string::npos) << load.output;
  EXPECT_EQ(Counts(), before);
}

TEST_F(DemoDataTest, RefusesAnUnseededDatabase) {
  CommandResult migrate = Telerad("migrate");
  ASSERT_EQ(migrate.exit_code, 0) << migrate.output;
  CommandResult load = Telerad("demo-data");
  EXPECT_EQ(load.exit_code, 8);  // refused
  EXPECT_NE(load.output.find("seed-demo"), std::string::npos) << load.output;
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM facility"), "0");
}

}  // namespace
}  // namespace telerad::testing
