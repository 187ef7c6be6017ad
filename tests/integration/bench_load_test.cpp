// telerad-bench-load, the benchmarks' data loader, on a small scale: the rows it COPYs are
// consistent (a signed report for each reported study, e-examinations in valid states),
// the KPI triggers count them as a recount from the base tables does, and a second run
// with the same figures loads nothing. The KPI benchmark's figures are only as good as this.
#include <gtest/gtest.h>

#include <string>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class BenchLoadTest : public ::testing::Test {
 protected:
  CommandResult Load(int studies, int consultations) {
    return TeleradCommand(db_, "telerad-bench-load",
                          "--db " + Quote(db_.url()) + " --studies " + std::to_string(studies) +
                              " --consultations " + std::to_string(consultations) + " --batch 700");
  }
  std::string Aggregates() {
    return db_.Scalar(
        "SELECT concat_ws(',', (SELECT sum(received) || '/' || sum(diagnosed) FROM "
        "kpi_study_daily),"
        " (SELECT sum(booked) || '/' || sum(completed) || '/' || sum(cancelled) || '/' ||"
        " sum(no_show) FROM kpi_consultation_daily),"
        " (SELECT count(*) FROM kpi_facility_activity),"
        " (SELECT sum(received) || '/' || sum(diagnosed) FROM kpi_study_monthly),"
        " (SELECT sum(booked) || '/' || sum(completed) FROM kpi_consultation_monthly),"
        " (SELECT sum(signed) || '/' || sum(breaches) || '/' || sum(signed * bucket)"
        " FROM kpi_turnaround_monthly),"
        " (SELECT sum(signed) || '/' || sum(breaches) || '/' || sum(signed * bucket)"
        " || '/' || sum(signed * extract(doy FROM day)) FROM kpi_turnaround_national_daily),"
        " (SELECT sum(signed) || '/' || sum(breaches) || '/' || sum(signed * bucket)"
        " FROM kpi_turnaround_national_monthly),"
        " (SELECT sum(received) || '/' || sum(diagnosed) || '/' || sum(received * facility_id)"
        " FROM kpi_study_total),"
        " (SELECT sum(booked) || '/' || sum(completed) || '/' || sum(completed * facility_id)"
        " FROM kpi_consultation_total),"
        " (SELECT count(*) || '/' || sum(studies) || '/' || sum(studies * priority) || '/' ||"
        " sum(studies * hour) FROM kpi_backlog_hourly))");
  }
  TestDatabase db_;
};

TEST_F(BenchLoadTest, RowsAreConsistentAndTheTriggersCountThemAsARecountDoes) {
  ASSERT_EQ(TeleradCommand(db_, "telerad", "seed-demo").exit_code, 0);
  CommandResult load = Load(3000, 2000);
  ASSERT_EQ(load.exit_code, 0) << load.output;
  EXPECT_NE(load.output.find("studies_loaded=3000"), std::string::npos) << load.output;
  EXPECT_NE(load.output.find("consultations_loaded=2000"), std::string::npos) << load.output;

  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM study"), "3000");
  // Every reported study has its signed report, and nothing else has one.
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM study s LEFT JOIN report r ON r.study_id = s.id"
                       " WHERE (s.status = 'reported') <> (r.status IS NOT DISTINCT FROM 'final'"
                       " AND s.report_status = 'final' AND r.signed_at = s.reported_at)"),
            "0");
  EXPECT_GT(std::stoi(db_.Scalar("SELECT count(*) FROM report")), 2500);
  // E-examinations: each state occurs, times in order, none in the future.
  EXPECT_EQ(db_.Scalar("SELECT count(DISTINCT status) FROM consultation"), "5");
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM consultation WHERE completed_at < slot_at"
                       " OR slot_at < accepted_at OR accepted_at < created_at"
                       " OR closed_at < created_at OR completed_at > now() OR created_at > now()"),
            "0");
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM consultation WHERE status = 'completed'"
                       " AND (conclusion = '' OR cardinality(icd_codes) = 0)"),
            "0");

  const std::string counted = Aggregates();
  db_.Scalar("SELECT kpi_recount()");
  EXPECT_EQ(Aggregates(), counted);
  EXPECT_EQ(db_.Scalar("SELECT sum(received) FROM kpi_study_daily"), "3000");
  // The monthly roll-ups hold exactly the daily rows summed by month, and the histogram
  // every signed study.
  EXPECT_EQ(
      db_.Scalar("SELECT count(*) FROM (SELECT date_trunc('month', day)::date AS month,"
                 " facility_id, modality_class, sum(received) AS r, sum(diagnosed) AS d"
                 " FROM kpi_study_daily GROUP BY 1, 2, 3) d FULL JOIN kpi_study_monthly m"
                 " USING (month, facility_id, modality_class)"
                 " WHERE m.received IS DISTINCT FROM d.r OR m.diagnosed IS DISTINCT FROM d.d"),
      "0");
  EXPECT_EQ(db_.Scalar("SELECT sum(signed) FROM kpi_turnaround_monthly"),
            db_.Scalar("SELECT count(*) FROM study WHERE status = 'reported'"));
  // The national histograms (schema 0016) hold the per-facility one summed over
  // facilities, and the daily one summed by month the monthly one; the running totals
  // hold every daily row summed per facility (and class).
  const char* kMismatches =
      "SELECT count(*) FROM (SELECT month, modality_class, priority, bucket, sum(signed) AS s,"
      " sum(breaches) AS b FROM kpi_turnaround_monthly GROUP BY 1, 2, 3, 4) f"
      " FULL JOIN (SELECT date_trunc('month', day)::date AS month, modality_class, priority,"
      " bucket, sum(signed) AS s, sum(breaches) AS b FROM kpi_turnaround_national_daily"
      " GROUP BY 1, 2, 3, 4) d USING (month, modality_class, priority, bucket)"
      " FULL JOIN kpi_turnaround_national_monthly m USING (month, modality_class, priority, bucket)"
      " WHERE f.s IS DISTINCT FROM d.s OR f.b IS DISTINCT FROM d.b"
      " OR f.s IS DISTINCT FROM m.signed OR f.b IS DISTINCT FROM m.breaches";
  EXPECT_EQ(db_.Scalar(kMismatches), "0");
  EXPECT_EQ(
      db_.Scalar("SELECT count(*) FROM (SELECT facility_id, modality_class,"
                 " sum(received) AS r, sum(diagnosed) AS d FROM kpi_study_daily"
                 " GROUP BY 1, 2) d FULL JOIN kpi_study_total t"
                 " USING (facility_id, modality_class)"
                 " WHERE t.received IS DISTINCT FROM d.r OR t.diagnosed IS DISTINCT FROM d.d"),
      "0");
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM (SELECT facility_id, sum(booked) AS b,"
                       " sum(completed) AS c, sum(cancelled) AS x, sum(no_show) AS n"
                       " FROM kpi_consultation_daily GROUP BY 1) d"
                       " FULL JOIN kpi_consultation_total t USING (facility_id)"
                       " WHERE t.booked IS DISTINCT FROM d.b OR t.completed IS DISTINCT FROM d.c"
                       " OR t.cancelled IS DISTINCT FROM d.x OR t.no_show IS DISTINCT FROM d.n"),
            "0");

  CommandResult again = Load(3000, 2000);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("studies_loaded=0"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("consultations_loaded=0"), std::string::npos) << again.output;
  EXPECT_EQ(Aggregates(), counted);
}

TEST_F(BenchLoadTest, WithoutSpecialistsTheConsultationsAreRefusedClearly) {
  ASSERT_EQ(TeleradCommand(db_, "telerad", "migrate").exit_code, 0);
  CommandResult load = Load(0, 10);
  EXPECT_EQ(load.exit_code, 4);
  EXPECT_NE(load.output.find("seed-demo"), std::string::npos) << load.output;
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM consultation"), "0");
}

TEST_F(BenchLoadTest, BadArgumentsAreAUsageError) {
  CommandResult load = TeleradCommand(
      db_, "telerad-bench-load", "--db " + Quote(db_.url()) + " --studies 1 --consultations x");
  EXPECT_EQ(load.exit_code, 2);
  EXPECT_NE(load.output.find("usage"), std::string::npos) << load.output;
}

}  // namespace
}  // namespace telerad::testing
