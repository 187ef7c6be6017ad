// The ministry's KPI dashboard in a real browser: Debian's chromium, driven by
// tests/browser/pages_dashboard.mjs, against the real server holding the demo half-year
// (`telerad demo-data`). What the page shows is checked against what the API answers
// for the same windows (figures, the half-year table, every chart's numbers, the CSV
// byte for byte), and the page's whole text against the database's patients: no name,
// patient ID or study UID may appear. A radiologist is refused the page in words.
// Screenshots are kept in <build>/browser-artifacts/ (pages-dashboard-*.png).
// Skipped only when /usr/bin/chromium is absent (scripts/test installs it).
#include <unistd.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "tests/integration/browser_script.h"
#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

// A count as the pages print it: digits grouped by commas (CLDR mn as en: 12,345).
std::string Grouped(int64_t value) {
  std::string digits = std::to_string(value), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// A chart series' values summed over its categories.
int64_t Sum(const nlohmann::json& series) {
  int64_t sum = 0;
  for (const auto& [category, value] : series.items())
    if (value.is_number()) sum += value.get<int64_t>();
  return sum;
}

// The lines of a SQL answer (string_agg with newlines).
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

class BrowserDashboardTest : public ServerTest {
 protected:
  BrowserDashboardTest() { options_.env["TELERAD_PAGES_DIR"] = SourceDir() + "/pages/dist"; }

  // The demo half-year, loaded next to the running server's seed (as `scripts/run --demo`).
  void LoadDemo() {
    CommandResult load = TeleradCommand(db_, "telerad", "demo-data");
    ASSERT_EQ(load.exit_code, 0) << load.output;
  }

  nlohmann::json Api(const std::string& path) {
    HttpResponse r = Http("GET", server_->http_port, "/api/v1" + path, "", ministry_);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return r.json;
  }

  // {month: diagnoses of `klass`} and {month: e-examinations completed} from the API.
  std::map<std::string, int64_t> DiagnosesByMonth(const std::string& window,
                                                  const std::string& klass) {
    std::map<std::string, int64_t> out;
    const nlohmann::json answer = Api("/kpi?" + window + "&group_by=month,modality");
    for (const auto& g : answer["groups"])
      if (g["modality_class"] == klass) out[g["month"]] += g["diagnoses"]["total"].get<int64_t>();
    return out;
  }

  std::string ministry_;
};

// The page's chart series as {category: value}, without the zero months the page adds
// (the API lists only months with figures).
std::map<std::string, int64_t> NonZero(const nlohmann::json& series) {
  std::map<std::string, int64_t> out;
  for (const auto& [category, value] : series.items())
    if (value.is_number() && value.get<int64_t>() != 0) out[category] = value.get<int64_t>();
  return out;
}

// "2025-03" as the Mongolian page labels months: "2025.03".
std::map<std::string, int64_t> MongolianMonths(const std::map<std::string, int64_t>& by_month) {
  std::map<std::string, int64_t> out;
  for (const auto& [month, value] : by_month)
    if (value != 0) out[month.substr(0, 4) + "." + month.substr(5, 2)] = value;
  return out;
}

TEST_F(BrowserDashboardTest, TheMinistrySeesTheDemoHalfYearItsChartsAndItsCsvWithoutPatientData) {
  std::string why;
  if (!BrowserAvailable(why)) GTEST_SKIP() << why;
  LoadDemo();
  ministry_ = Login(server_->http_port, "ministry1");
  const nlohmann::json report =
      RunBrowserScript("pages_dashboard.mjs", server_->http_port, "", /*needs_pages=*/true);
  ASSERT_FALSE(report.empty());
  ASSERT_FALSE(report.contains("error")) << report["error"];
  const nlohmann::json& steps = report["steps"];

  // A radiologist at /app/dashboard: refused in words, no dashboard in its menu, and no
  // chart code downloaded (Chart.js is a chunk of the dashboard's own).
  EXPECT_EQ(steps["radiologist"]["url"], "/app/dashboard");
  EXPECT_NE(steps["radiologist"]["text"].get<std::string>().find("Хандах эрхгүй"),
            std::string::npos)
      << steps["radiologist"].dump();
  EXPECT_NE(steps["radiologist"]["text"].get<std::string>().find("Үзүүлэлтийн самбар"),
            std::string::npos);
  EXPECT_EQ(steps["radiologist"]["nav"], nlohmann::json({"/app", "/app/worklist"}));
  std::set<std::string> rad_scripts;
  for (const auto& s : steps["radiologist"]["scripts"]) rad_scripts.insert(s);
  int dashboard_only = 0;
  for (const auto& s : steps["h1"]["scripts"]) dashboard_only += rad_scripts.count(s) == 0;
  EXPECT_GE(dashboard_only, 1) << steps["h1"]["scripts"].dump();

  // The ministry lands on its dashboard, the last ended half-year chosen.
  EXPECT_EQ(steps["landing"]["url"], "/app/dashboard");
  EXPECT_EQ(steps["landing"]["nav"], nlohmann::json({"/app", "/app/dashboard"}));
  EXPECT_EQ(steps["landing"]["current"], "/app/dashboard");
  EXPECT_TRUE(std::regex_match(steps["landing"]["period"].get<std::string>(),
                               std::regex(R"(20\d\dH[12])")));

  // 2025H1, picked from the list: in the URL, and the demo's figures as printed.
  const nlohmann::json& h1 = steps["h1"];
  EXPECT_EQ(h1["url"], "/app/dashboard?period=2025H1");
  EXPECT_EQ(h1["period"], "2025H1");
  EXPECT_EQ(h1["figures"]["diagnoses"], "2,098");
  EXPECT_EQ(h1["figures"]["diagnoses_ct"], "1,878");
  EXPECT_EQ(h1["figures"]["diagnoses_xray"], "220");
  EXPECT_EQ(h1["figures"]["e_examinations"], "4,147");

  // The half-year table: every row of the API's report, its numbers as printed, the bar
  // at the percent (full at 100 % and over).
  const nlohmann::json api_report = Api("/kpi/report?period=2025H1");
  ASSERT_EQ(h1["report"].size(), api_report["rows"].size()) << h1["report"].dump();
  for (const auto& row : api_report["rows"]) {
    const nlohmann::json& shown = h1["report"][row["indicator"].get<std::string>()];
    EXPECT_EQ(shown["label"].get<std::string>().rfind(row["label_mn"].get<std::string>(), 0), 0u)
        << shown.dump();
    if (row["percent"].is_null()) {
      EXPECT_TRUE(shown["progress"].is_null()) << shown.dump();
    } else {
      EXPECT_DOUBLE_EQ(shown["progress"].get<double>(),
                       std::min(100.0, row["percent"].get<double>()))
          << shown.dump();
    }
    if (row["unit"] == "count" && row["achieved"].is_number_integer()) {
      EXPECT_EQ(shown["achieved"], Grouped(row["achieved"].get<int64_t>())) << shown.dump();
    }
  }
  EXPECT_EQ(h1["report"]["image_diagnoses"]["achieved"], "2,098");
  EXPECT_EQ(h1["report"]["image_diagnoses_ct"]["achieved"], "1,878");
  EXPECT_EQ(h1["report"]["image_diagnoses_xray"]["achieved"], "220");
  EXPECT_EQ(h1["report"]["e_examinations"]["achieved"], "4,147");
  EXPECT_EQ(h1["report"]["telemedicine_facilities"]["baseline"], "250");
  EXPECT_EQ(h1["report"]["telemedicine_facilities"]["target"], "260");

  // The charts, drawn, and their numbers equal to the API's aggregates.
  const std::string window = "period=2025H1";
  const nlohmann::json& charts = h1["charts"];
  ASSERT_EQ(charts.size(), 4u) << charts.dump();
  for (const auto& [id, chart] : charts.items()) {
    EXPECT_GT(chart["width"].get<int>(), 0) << id;
    EXPECT_GT(chart["height"].get<int>(), 0) << id;
    EXPECT_FALSE(chart["caption"].get<std::string>().empty()) << id;
  }
  const nlohmann::json& by_month = charts["diagnoses-month"]["series"];
  EXPECT_EQ(Sum(by_month["КТ"]), 1878);
  EXPECT_EQ(Sum(by_month["Рентген"]), 220);
  EXPECT_EQ(by_month["КТ"].size(), 6u);  // every month of the half-year
  EXPECT_EQ(NonZero(by_month["КТ"]), MongolianMonths(DiagnosesByMonth(window, "CT")));
  EXPECT_EQ(NonZero(by_month["Рентген"]), MongolianMonths(DiagnosesByMonth(window, "XRAY")));
  std::map<std::string, int64_t> exams;
  const nlohmann::json monthly = Api("/kpi?" + window + "&group_by=month");
  for (const auto& g : monthly["groups"])
    exams[g["month"]] = g["e_examinations"]["completed"].get<int64_t>();
  const nlohmann::json& exams_shown = charts["e-examinations-month"]["series"]["Цахим үзлэг"];
  EXPECT_EQ(Sum(exams_shown), 4147);
  EXPECT_EQ(NonZero(exams_shown), MongolianMonths(exams));
  std::map<std::string, int64_t> by_aimag;
  const nlohmann::json by_aimag_answer = Api("/kpi?" + window + "&group_by=aimag");
  for (const auto& g : by_aimag_answer["groups"])
    if (g["diagnoses"]["total"].get<int64_t>() > 0)
      by_aimag[g["aimag"]] = g["diagnoses"]["total"].get<int64_t>();
  const nlohmann::json& aimag_shown =
      charts["diagnoses-aimag"]["series"]["Дүрс оношилгооны хариу дүгнэлт"];
  EXPECT_EQ(Sum(aimag_shown), 2098);
  EXPECT_EQ(NonZero(aimag_shown), by_aimag);
  EXPECT_GE(by_aimag.size(), 2u);
  const nlohmann::json turnaround = Api("/kpi?" + window)["totals"]["turnaround"];
  const nlohmann::json& medians = charts["turnaround-priority"]["series"]["Медиан"];
  for (const auto& [priority, label] :
       {std::pair{"stat", "STAT"}, {"urgent", "Яаралтай"}, {"routine", "Энгийн"}}) {
    const nlohmann::json& expected = turnaround[priority]["median_hours"];
    if (expected.is_null()) {
      EXPECT_TRUE(medians[label].is_null()) << medians.dump();
    } else {
      EXPECT_DOUBLE_EQ(medians[label].get<double>(), expected.get<double>()) << priority;
    }
  }
  EXPECT_FALSE(turnaround["routine"]["median_hours"].is_null()) << turnaround.dump();

  // The CSV download: the server's CSV, byte for byte (its byte order mark included).
  HttpResponse csv = Http("GET", server_->http_port, "/api/v1/kpi/report?period=2025H1", "",
                          ministry_, {"Accept: text/csv"});
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(steps["csv"]["filename"], "telerad-kpi-report-2025H1.csv");
  EXPECT_EQ(steps["csv"]["content"].get<std::string>(), csv.body);
  EXPECT_NE(csv.body.find(",2098,"), std::string::npos) << csv.body;

  // A range of months: in the URL, the figures of that window, no target table.
  const nlohmann::json& months = steps["months"];
  const nlohmann::json range = Api("/kpi?from=2025-02-01&to=2025-04-30")["totals"];
  EXPECT_EQ(months["url"], "/app/dashboard?from=2025-02&to=2025-04");
  EXPECT_EQ(months["select"], "");
  EXPECT_EQ(months["figures"]["diagnoses"], Grouped(range["diagnoses"]["total"].get<int64_t>()));
  EXPECT_EQ(months["figures"]["e_examinations"],
            Grouped(range["e_examinations"]["completed"].get<int64_t>()));
  EXPECT_NE(months["figures"]["diagnoses"], "2,098");
  EXPECT_FALSE(months["report_note"].is_null());
  EXPECT_EQ(months["csv_button"], false);
  EXPECT_EQ(months["charts"]["diagnoses-month"]["series"]["КТ"].size(), 3u);
  EXPECT_EQ(Sum(months["charts"]["e-examinations-month"]["series"]["Цахим үзлэг"]),
            range["e_examinations"]["completed"].get<int64_t>());
  // Back: the half-year again.
  EXPECT_EQ(steps["back"]["url"], "/app/dashboard?period=2025H1");
  EXPECT_EQ(steps["back"]["figures"]["diagnoses"], "2,098");

  // English a click away: the same figures, English words.
  EXPECT_EQ(steps["english"]["title"], "KPI dashboard");
  EXPECT_EQ(steps["english"]["figures"]["diagnoses"], "2,098");
  EXPECT_EQ(Sum(steps["english"]["charts"]["diagnoses-month"]["series"]["CT"]), 1878);
  EXPECT_EQ(steps["english"]["report"]["image_diagnoses"]["label"],
            "Remote image diagnoses issued (signed reports)");

  // A tablet: no sideways scrolling, the numbers tables open or not.
  EXPECT_EQ(steps["tablet_overflow"], false);
  EXPECT_EQ(steps["tablet_overflow_open"], false);

  // No patient data anywhere on the page: no study UID, no patient's name or ID.
  const std::string text = steps["page_text"];
  ASSERT_NE(text.find("1,878"), std::string::npos);
  EXPECT_FALSE(std::regex_search(text, std::regex(R"(\d+(\.\d+){4,})"))) << "a UID on the page";
  // Family names, less those that are also an aimag's (Сүхбаатар: a name and an aimag).
  const auto names = Lines(db_.Scalar(
      "SELECT string_agg(DISTINCT n, E'\\n') FROM (SELECT split_part(patient_name, '^', 1) AS n"
      " FROM study UNION SELECT split_part(patient_name, '^', 1) FROM consultation) p"
      " WHERE length(n) >= 4 AND n NOT IN (SELECT aimag FROM facility)"));
  const auto ids = Lines(db_.Scalar(
      "SELECT string_agg(DISTINCT i, E'\\n') FROM (SELECT patient_id AS i FROM study UNION"
      " SELECT patient_id FROM consultation UNION SELECT study_uid FROM study) p"
      " WHERE length(i) >= 6"));
  EXPECT_GT(names.size(), 10u);
  EXPECT_GT(ids.size(), 10u);
  for (const auto& name : names) EXPECT_EQ(text.find(name), std::string::npos) << name;
  for (const auto& id : ids) EXPECT_EQ(text.find(id), std::string::npos) << id;

  // No console error, no script error, no failed request.
  EXPECT_TRUE(report["console_errors"].empty()) << report["console_errors"].dump();
  EXPECT_TRUE(report["page_errors"].empty()) << report["page_errors"].dump();
  EXPECT_TRUE(report["failed_responses"].empty()) << report["failed_responses"].dump();
  EXPECT_EQ(report["screenshots"].size(), 4u);
  for (const auto& shot : report["screenshots"])
    EXPECT_EQ(::access(shot.get<std::string>().c_str(), R_OK), 0) << shot;
}

}  // namespace
}  // namespace telerad::testing
