// Every time grain's groups are the sums of their days. The server finds a row's month,
// quarter, half-year or year itself (src/pg/pg_kpi_tally_parts.cpp), from daily rows on
// a window's edge days and monthly rows for its whole months: asked by month, quarter,
// half and year, alone, with the aimag, with the modality class and filtered by facility,
// every group must equal the day groups of its bucket added up, and the totals the same
// in every grain.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

// What is compared: counts that add up across days.
struct Sums {
  int64_t received = 0, diagnosed = 0, ct = 0, signed_studies = 0, breaches = 0;
  bool operator==(const Sums& o) const {
    return received == o.received && diagnosed == o.diagnosed && ct == o.ct &&
           signed_studies == o.signed_studies && breaches == o.breaches;
  }
};

std::ostream& operator<<(std::ostream& out, const Sums& s) {
  return out << "received " << s.received << ", diagnosed " << s.diagnosed << " (CT " << s.ct
             << "), signed " << s.signed_studies << ", breaches " << s.breaches;
}

Sums SumsOf(const nlohmann::json& figures) {
  Sums s;
  s.received = figures.at("studies_received").get<int64_t>();
  s.diagnosed = figures.at("diagnoses").at("total").get<int64_t>();
  s.ct = figures.at("diagnoses").at("CT").get<int64_t>();
  s.signed_studies = figures.at("turnaround").at("all").at("signed").get<int64_t>();
  s.breaches = figures.at("sla_breaches").get<int64_t>();
  return s;
}

void Add(Sums& into, const Sums& s) {
  into.received += s.received;
  into.diagnosed += s.diagnosed;
  into.ct += s.ct;
  into.signed_studies += s.signed_studies;
  into.breaches += s.breaches;
}

// The name of the `grain` period that holds local day `day` (YYYY-MM-DD).
std::string PeriodOfDay(const std::string& grain, const std::string& day) {
  const std::string year = day.substr(0, 4);
  const int month = std::stoi(day.substr(5, 2));
  if (grain == "month") return day.substr(0, 7);
  if (grain == "quarter") return year + "Q" + std::to_string((month - 1) / 3 + 1);
  if (grain == "half") return year + "H" + (month <= 6 ? "1" : "2");
  return year;
}

class KpiTimeGrainTest : public ServerTest {
 protected:
  nlohmann::json Kpi(const std::string& query) {
    HttpResponse r = Http("GET", server_->http_port, "/api/v1/kpi?" + query, "", ministry_);
    EXPECT_EQ(r.status, 200) << r.body;
    return nlohmann::json::parse(r.body);
  }
  // A group's key other than its time: the aimag and class it was asked by.
  static std::string OtherKey(const nlohmann::json& group) {
    return group.value("aimag", "") + "|" + group.value("modality_class", "");
  }

  std::string ministry_;
};

TEST_F(KpiTimeGrainTest, EveryGrainsGroupsAreTheSumsOfTheirDays) {
  ministry_ = Login(server_->http_port, "ministry1");
  // 60 studies of facility DEMO every 7 days from mid-December 2024 to mid-February 2026
  // (so every grain has several buckets and the window's edges cut months), of three
  // classes; two in three signed, every fifth of those after its deadline. The schema's
  // triggers count them as they would live events.
  db_.Scalar(
      "INSERT INTO study (study_uid, facility_id, modality_class, status, priority, received_at,"
      " ready_at, sla_due_at, reported_at)"
      " SELECT '1.2.826.0.1.3680043.10.1901.' || g, (SELECT id FROM facility WHERE code = 'DEMO'),"
      " (ARRAY['CT', 'XRAY', 'OTHER'])[g % 3 + 1],"
      " CASE WHEN g % 3 = 2 THEN 'ready' ELSE 'reported' END, g % 3,"
      " t, t, t + interval '4 hours',"
      " CASE WHEN g % 3 = 2 THEN NULL ELSE t + (1 + g % 5) * interval '1 hour' END"
      " FROM generate_series(0, 59) g,"
      " LATERAL (SELECT timestamptz '2024-12-15 03:00Z' + g * interval '7 days' AS t) x"
      " RETURNING 1::text");
  const std::string window = "from=2024-12-20&to=2026-01-10";
  for (const std::string& extra : {std::string(), std::string(",aimag"), std::string(",modality"),
                                   std::string("&facility=DEMO")}) {
    const bool filter = extra.rfind("&", 0) == 0;
    const std::string by = filter ? "" : extra;
    const std::string also = filter ? extra : "";
    const nlohmann::json days = Kpi(window + "&group_by=day" + by + also);
    ASSERT_GT(days["groups"].size(), 40u) << days.dump();
    EXPECT_EQ(SumsOf(days["totals"]).received, 55);  // those from 2024-12-20 to 2026-01-10
    for (const std::string grain : {"month", "quarter", "half", "year"}) {
      std::map<std::string, Sums> expected;
      for (const nlohmann::json& d : days["groups"])
        Add(expected[PeriodOfDay(grain, d["day"].get<std::string>()) + "|" + OtherKey(d)],
            SumsOf(d));
      const nlohmann::json k = Kpi(window + "&group_by=" + grain + by + also);
      std::map<std::string, Sums> got;
      for (const nlohmann::json& g : k["groups"])
        got[g[grain].get<std::string>() + "|" + OtherKey(g)] = SumsOf(g);
      EXPECT_EQ(got, expected) << grain << by << also;
      EXPECT_EQ(SumsOf(k["totals"]), SumsOf(days["totals"])) << grain << by << also;
    }
  }
}

}  // namespace
}  // namespace telerad::testing
