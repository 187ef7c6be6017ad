// KPIs against the real server: facilities made over the API, studies sent over DICOM,
// reports signed and e-examinations completed over the API; then every figure of
// GET /kpi, the ministry's table as JSON and as CSV (parsed), the targets, two server
// processes on one database, and days counted in the configured time zone.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <sstream>
#include <thread>

#include "date/date.h"
#include "tests/integration/harness.h"
#include "tests/prometheus_text.h"

namespace telerad::testing {
namespace {

const char* kPatient = "Батцэцэг^Оюунчимэг";
const char* kPatientFamily = "Батцэцэг";
const char* kConsultPatient = "Должинсүрэн Өлзийбаяр";

std::string Day(std::chrono::system_clock::time_point t) {
  return date::format("%F", date::floor<date::days>(t));
}

// A window around today that holds today's local day in any zone.
std::string AroundToday() {
  const auto now = std::chrono::system_clock::now();
  return "from=" + Day(now - std::chrono::hours(24)) + "&to=" + Day(now + std::chrono::hours(24));
}

// RFC 4180 as CsvDocument writes it: CRLF lines, quoted fields may hold commas, quotes
// and line breaks.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(field);
      field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  EXPECT_TRUE(rows.back().empty() && field.empty()) << "the last line must end with CRLF";
  rows.pop_back();
  return rows;
}

class KpiTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    admin_ = Login(server_->http_port, "admin");
    ministry_ = Login(server_->http_port, "ministry1");
    rad1_ = Login(server_->http_port, "rad1");
  }
  HttpResponse Call(const std::string& method, const std::string& path, const std::string& token,
                    const nlohmann::json& body = nullptr, int port = 0) {
    return Http(method, port ? port : server_->http_port, path, body.is_null() ? "" : body.dump(),
                token);
  }
  std::string Args(const std::string& modality) {
    return "--instances 1 --rows 16 --cols 16 --charset ISO_IR_192 --modality " + modality +
           " --patient-name " + Quote(kPatient);
  }
  // Sends one study from `ae` and waits until it is ready; its UID.
  std::string SendStudy(const std::string& ae, const std::string& modality, int seed) {
    const std::string dir = data_ + "/kpi-" + std::to_string(seed);
    auto uids = Generate(dir, "--seed " + std::to_string(seed) + " " + Args(modality));
    EXPECT_EQ(StoreScu(server_->dicom_port, FilesIn(dir), ae).failed.size(), 0u);
    for (int i = 0; i < 100; ++i) {
      if (db_.Scalar("SELECT status FROM study WHERE study_uid = '" + uids[0] + "'") == "ready")
        return uids[0];
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "study not ready";
    return uids[0];
  }
  // rad1 claims, writes and signs the study's report (through `port`, default server_).
  void Sign(const std::string& uid, int port = 0) {
    const std::string token = port ? Login(port, "rad1") : rad1_;
    const std::string base = "/api/v1/studies/" + uid;
    ASSERT_EQ(Call("POST", base + "/claim", token, nullptr, port).status, 200);
    HttpResponse draft = Call("PUT", base + "/report", token,
                              {{"findings", "Эмгэг өөрчлөлтгүй."}, {"icd_codes", {"Z03.9"}}}, port);
    ASSERT_EQ(draft.status, 200) << draft.body;
    HttpResponse sign = Call("POST", base + "/report/sign", token, {{"version", 1}}, port);
    ASSERT_EQ(sign.status, 200) << sign.body;
  }
  // fac1 books an e-examination; its path.
  std::string Book(const std::string& fac_token) {
    HttpResponse r = Call("POST", "/api/v1/consultations", fac_token,
                          {{"patient", {{"id", "MN-88010101"}, {"name", kConsultPatient}}},
                           {"specialty", "cardiology"},
                           {"reason", "Зүрх дэлсэх"},
                           {"requested_at", "2025-05-20T10:00:00+08:00"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return "/api/v1/consultations/" + r.json["id"].dump();
  }
  nlohmann::json Kpi(const std::string& query, int port = 0) {
    HttpResponse r = Call("GET", "/api/v1/kpi?" + query, ministry_, nullptr, port);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body.find(kPatientFamily), std::string::npos);
    EXPECT_EQ(r.body.find("Должинсүрэн"), std::string::npos);
    return r.json;
  }
  // The activity of the first test: studies from two aimags, two signed reports, two
  // e-examinations (one completed, one cancelled).
  void MakeActivity() {
    HttpResponse created = Call("POST", "/api/v1/facilities", admin_,
                                {{"code", "DOR-HOSP"},
                                 {"name", "Дорнод аймгийн Нэгдсэн эмнэлэг"},
                                 {"aimag", "Дорнод"},
                                 {"ae_title", "DOR_SCU"}});
    ASSERT_EQ(created.status, 201) << created.body;
    ct1_ = SendStudy("DEMO_SCU", "CT", 1501);
    ct2_ = SendStudy("DEMO_SCU", "CT", 1502);
    cr_ = SendStudy("DEMO_SCU", "CR", 1503);
    dor_ = SendStudy("DOR_SCU", "CT", 1504);
    Sign(ct1_);
    Sign(cr_);
    const std::string fac1 = Login(server_->http_port, "fac1");
    const std::string spec1 = Login(server_->http_port, "spec1");
    const std::string done = Book(fac1), dropped = Book(fac1);
    ASSERT_EQ(
        Call("POST", done + "/accept", spec1, {{"slot_at", "2025-05-21T09:30:00+08:00"}}).status,
        200);
    HttpResponse completed =
        Call("POST", done + "/complete", spec1,
             {{"conclusion", "Зүрхний хэм алдагдал."}, {"icd_codes", {"I49.9"}}});
    ASSERT_EQ(completed.status, 200) << completed.body;
    ASSERT_EQ(Call("POST", dropped + "/cancel", fac1, {{"reason", "өвчтөн ирэхгүй"}}).status, 200);
  }
  std::string admin_, ministry_, rad1_;
  std::string ct1_, ct2_, cr_, dor_;
};

TEST_F(KpiTest, EveryFigureFollowsTheEvents) {
  MakeActivity();
  nlohmann::json k = Kpi(AroundToday());
  EXPECT_EQ(k["time_zone"], "Asia/Ulaanbaatar");
  const nlohmann::json& t = k["totals"];
  EXPECT_EQ(t["studies_received"], 4);
  EXPECT_EQ(t["diagnoses"]["total"], 2);
  EXPECT_EQ(t["diagnoses"]["CT"], 1);
  EXPECT_EQ(t["diagnoses"]["XRAY"], 1);
  EXPECT_EQ(t["diagnoses"]["OTHER"], 0);
  EXPECT_EQ(t["telemedicine_facilities"], 2);
  EXPECT_EQ(t["telemedicine_facilities_to_date"], 2);
  EXPECT_EQ(t["e_examinations"]["booked"], 2);
  EXPECT_EQ(t["e_examinations"]["completed"], 1);
  EXPECT_EQ(t["e_examinations"]["cancelled"], 1);
  EXPECT_EQ(t["e_examinations"]["no_show"], 0);
  EXPECT_EQ(t["online_hospital_facilities"], 1);
  EXPECT_EQ(t["online_hospital_facilities_to_date"], 1);
  EXPECT_EQ(t["turnaround"]["all"]["signed"], 2);
  EXPECT_EQ(t["turnaround"]["routine"]["signed"], 2);
  EXPECT_EQ(t["turnaround"]["stat"]["signed"], 0);
  EXPECT_TRUE(t["turnaround"]["stat"]["median_hours"].is_null());
  EXPECT_GE(t["turnaround"]["all"]["median_hours"].get<double>(), 0.0);
  EXPECT_LT(t["turnaround"]["all"]["median_hours"].get<double>(), 0.1);  // signed in seconds
  EXPECT_EQ(t["sla_breaches"], 0);
  EXPECT_EQ(t["sla_breach_percent"], 0.0);
  // The two unsigned studies wait, routine, less than an hour old.
  EXPECT_EQ(k["backlog"]["total"], 2);
  EXPECT_EQ(k["backlog"]["routine"]["lt_1h"], 2);

  // By aimag: the demo facility is in Говь-Алтай, the new one in Дорнод.
  nlohmann::json by_aimag = Kpi(AroundToday() + "&group_by=aimag");
  ASSERT_EQ(by_aimag["groups"].size(), 2u) << by_aimag.dump();
  std::map<std::string, nlohmann::json> aimag;
  for (const auto& g : by_aimag["groups"]) aimag[g["aimag"]] = g;
  EXPECT_EQ(aimag["Дорнод"]["studies_received"], 1);
  EXPECT_EQ(aimag["Дорнод"]["diagnoses"]["total"], 0);
  EXPECT_EQ(aimag["Говь-Алтай"]["studies_received"], 3);
  EXPECT_EQ(aimag["Говь-Алтай"]["diagnoses"]["total"], 2);
  EXPECT_EQ(aimag["Говь-Алтай"]["e_examinations"]["completed"], 1);
  // An aimag filter, percent-encoded Cyrillic.
  nlohmann::json dornod =
      Kpi(AroundToday() + "&aimag=%D0%94%D0%BE%D1%80%D0%BD%D0%BE%D0%B4");  // Дорнод
  EXPECT_EQ(dornod["totals"]["studies_received"], 1);
  EXPECT_EQ(dornod["totals"]["telemedicine_facilities_to_date"], 1);

  // By facility and modality class: e-examinations have no modality, so they are left out.
  nlohmann::json by_class = Kpi(AroundToday() + "&group_by=facility,modality,day");
  std::map<std::string, nlohmann::json> cls;
  for (const auto& g : by_class["groups"])
    cls[g["facility"]["code"].get<std::string>() + "/" + g["modality_class"].get<std::string>()] =
        g;
  EXPECT_EQ(cls["DEMO/CT"]["studies_received"], 2);
  EXPECT_EQ(cls["DEMO/CT"]["diagnoses"]["CT"], 1);
  EXPECT_EQ(cls["DEMO/XRAY"]["diagnoses"]["XRAY"], 1);
  EXPECT_EQ(cls["DOR-HOSP/CT"]["facility"]["name"], "Дорнод аймгийн Нэгдсэн эмнэлэг");
  EXPECT_FALSE(cls["DEMO/CT"].contains("e_examinations"));
  EXPECT_TRUE(cls["DEMO/CT"].contains("day"));
  // Every group is a class's: the e-examinations make none of their own.
  for (const auto& g : by_class["groups"]) EXPECT_NE(g["modality_class"], "") << g.dump();

  // The same as CSV: a BOM, a header, one row per group.
  HttpResponse csv =
      Http("GET", server_->http_port, "/api/v1/kpi?" + AroundToday() + "&group_by=aimag", "",
           ministry_, {"Accept: text/csv"});
  ASSERT_EQ(csv.status, 200);
  ASSERT_EQ(csv.body.rfind("\xEF\xBB\xBF", 0), 0u);
  auto rows = ParseCsv(csv.body.substr(3));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], "aimag");
  EXPECT_EQ(rows[0][1], "studies_received");
  for (const auto& row : rows) EXPECT_EQ(row.size(), rows[0].size());
}

TEST_F(KpiTest, TheMinistrysTableWithTargetsAsJsonAndCsv) {
  MakeActivity();
  const std::string year =
      Day(std::chrono::system_clock::now() + std::chrono::hours(8)).substr(0, 4);
  const std::string half =
      year +
      (std::stoi(Day(std::chrono::system_clock::now() + std::chrono::hours(8)).substr(5, 2)) <= 6
           ? "H1"
           : "H2");
  // Targets: the year's for two indicators, the half-year's own for one of them.
  HttpResponse put = Call("PUT", "/api/v1/kpi/targets/" + year + "/telemedicine_facilities", admin_,
                          {{"baseline", 250}, {"target", 260}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json["updated_by"], "admin");
  ASSERT_EQ(Call("PUT", "/api/v1/kpi/targets/" + year + "/e_examinations", admin_, {{"target", 4}})
                .status,
            200);
  ASSERT_EQ(Call("PUT", "/api/v1/kpi/targets/" + half + "/e_examinations", admin_,
                 {{"baseline", nullptr}, {"target", 3}})
                .status,
            200);
  // Bad target requests.
  EXPECT_EQ(
      Call("PUT", "/api/v1/kpi/targets/" + year + "/nonsense", admin_, {{"target", 1}}).status,
      404);
  EXPECT_EQ(
      Call("PUT", "/api/v1/kpi/targets/2025H3/e_examinations", admin_, {{"target", 1}}).status,
      400);
  EXPECT_EQ(
      Call("PUT", "/api/v1/kpi/targets/2025/e_examinations", admin_, {{"target", "many"}}).status,
      422);
  EXPECT_EQ(Call("PUT", "/api/v1/kpi/targets/2025/e_examinations", admin_, {{"target", -3}}).status,
            422);
  EXPECT_EQ(
      Http("PUT", server_->http_port, "/api/v1/kpi/targets/2025/e_examinations", "{oops", admin_)
          .status,
      400);
  EXPECT_EQ(
      Call("PUT", "/api/v1/kpi/targets/2025/e_examinations", ministry_, {{"target", 1}}).status,
      403);
  HttpResponse listed = Call("GET", "/api/v1/kpi/targets?period=" + year, ministry_);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json["items"].size(), 2u);

  HttpResponse report = Call("GET", "/api/v1/kpi/report?period=" + half, ministry_);
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_EQ(report.json["period"], half);
  std::map<std::string, nlohmann::json> row;
  for (const auto& r : report.json["rows"]) row[r["indicator"]] = r;
  ASSERT_EQ(row.size(), 10u);
  EXPECT_EQ(row["image_diagnoses"]["achieved"], 2);
  EXPECT_EQ(row["image_diagnoses_ct"]["achieved"], 1);
  EXPECT_EQ(row["image_diagnoses_xray"]["achieved"], 1);
  EXPECT_EQ(row["studies_received"]["achieved"], 4);
  EXPECT_EQ(row["telemedicine_facilities"]["label_mn"],
            "Телемедицин нэвтэрсэн эрүүл мэндийн байгууллагын тоо");
  EXPECT_EQ(row["telemedicine_facilities"]["baseline"], 250);
  EXPECT_EQ(row["telemedicine_facilities"]["target"], 260);
  EXPECT_EQ(row["telemedicine_facilities"]["achieved"], 2);
  EXPECT_EQ(row["telemedicine_facilities"]["percent"], 0.8);  // 2 / 260
  EXPECT_EQ(row["telemedicine_facilities"]["target_period"], year);
  EXPECT_EQ(row["e_examinations"]["achieved"], 1);
  EXPECT_EQ(row["e_examinations"]["target"], 3);  // the half-year's own target wins
  EXPECT_EQ(row["e_examinations"]["percent"], 33.3);
  EXPECT_EQ(row["online_hospital_facilities"]["achieved"], 1);
  EXPECT_TRUE(row["online_hospital_facilities"]["percent"].is_null());
  EXPECT_EQ(row["sla_breach_percent"]["achieved"], 0);
  EXPECT_EQ(report.body.find(kPatientFamily), std::string::npos);

  HttpResponse csv = Http("GET", server_->http_port, "/api/v1/kpi/report?period=" + half, "",
                          ministry_, {"Accept: text/csv"});
  ASSERT_EQ(csv.status, 200);
  ASSERT_EQ(csv.body.rfind("\xEF\xBB\xBF", 0), 0u) << "UTF-8 BOM for spreadsheets";
  auto rows = ParseCsv(csv.body.substr(3));
  ASSERT_EQ(rows.size(), 11u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"indicator", "label_mn", "label_en", "baseline",
                                               "target", "achieved", "percent"}));
  std::map<std::string, std::vector<std::string>> csv_row;
  for (const auto& r : rows) csv_row[r[0]] = r;
  EXPECT_EQ(csv_row["telemedicine_facilities"],
            (std::vector<std::string>{
                "telemedicine_facilities", "Телемедицин нэвтэрсэн эрүүл мэндийн байгууллагын тоо",
                "Health facilities with telemedicine", "250", "260", "2", "0.8"}));
  EXPECT_EQ(csv_row["e_examinations"][5], "1");
  EXPECT_EQ(csv_row["e_examinations"][6], "33.3");
  EXPECT_EQ(csv_row["online_hospital_facilities"][3], "");
  // The quoted Mongolian label of the online hospital survives the round trip.
  EXPECT_EQ(csv_row["online_hospital_facilities"][1],
            "“Цахим эмнэлэг”-ийн үйл ажиллагааг нэвтрүүлсэн эрүүл мэндийн байгууллагын тоо");

  EXPECT_EQ(Call("DELETE", "/api/v1/kpi/targets/" + half + "/e_examinations", admin_).status, 204);
  EXPECT_EQ(Call("DELETE", "/api/v1/kpi/targets/" + half + "/e_examinations", admin_).status, 404);
  HttpResponse after = Call("GET", "/api/v1/kpi/report?period=" + half, admin_);
  for (const auto& r : after.json["rows"])
    if (r["indicator"] == "e_examinations") {
      EXPECT_EQ(r["target"], 4);  // the year's again
    }
  // Target changes, and refused attempts, are in the audit trail.
  HttpResponse audit = Call("GET", "/api/v1/audit?action=kpi_target.set", admin_);
  std::map<std::string, int> outcomes;
  for (const auto& e : audit.json["items"]) ++outcomes[e["outcome"]];
  EXPECT_EQ(outcomes["success"], 3) << audit.body;
  EXPECT_EQ(outcomes["denied"], 1) << audit.body;
  EXPECT_EQ(outcomes["invalid"] + outcomes["not_found"], 5) << audit.body;
}

TEST_F(KpiTest, TwoServersAndARestartSeeOneSetOfFigures) {
  const std::string a = SendStudy("DEMO_SCU", "CT", 1601);
  const std::string b = SendStudy("DEMO_SCU", "DX", 1602);
  TeleradServer second(db_, options_);
  second.Start();
  Sign(a);                    // through the first server
  Sign(b, second.http_port);  // through the second
  for (int port : {server_->http_port, second.http_port}) {
    nlohmann::json k = Kpi(AroundToday(), port);
    EXPECT_EQ(k["totals"]["diagnoses"]["total"], 2) << port;
    EXPECT_EQ(k["totals"]["diagnoses"]["CT"], 1) << port;
    EXPECT_EQ(k["totals"]["diagnoses"]["XRAY"], 1) << port;
    EXPECT_EQ(k["totals"]["turnaround"]["all"]["signed"], 2) << port;
  }
  server_->Stop();
  server_->Start();
  ministry_ = Login(server_->http_port, "ministry1");
  EXPECT_EQ(Kpi(AroundToday())["totals"]["diagnoses"]["total"], 2);
}

// The KPI families of GET /metrics come from PostgreSQL: both servers export the same
// values, parsed strictly, and nothing in them names a patient.
TEST_F(KpiTest, MetricsExportTheSameKpiFiguresFromEveryServer) {
  MakeActivity();
  TeleradServer second(db_, options_);
  second.Start();
  for (int port : {server_->http_port, second.http_port}) {
    HttpResponse r = Http("GET", port, "/metrics", "", Login(port, "ministry1"));
    ASSERT_EQ(r.status, 200) << port;
    EXPECT_EQ(r.body.find(kPatientFamily), std::string::npos);
    EXPECT_EQ(r.body.find("Должинсүрэн"), std::string::npos);
    PromExposition e = ParsePrometheusText(r.body);
    ASSERT_TRUE(e.ok()) << e.error;
    EXPECT_EQ(e.Sum("telerad_kpi_studies_received_total"), 4) << port;
    EXPECT_EQ(e.Sum("telerad_kpi_studies_received_total", {{"aimag", "Дорнод"}}), 1) << port;
    EXPECT_EQ(e.Sum("telerad_kpi_studies_received_total",
                    {{"facility", "DEMO"}, {"modality_class", "CT"}}),
              2)
        << port;
    EXPECT_EQ(e.Sum("telerad_kpi_diagnoses_total"), 2) << port;
    EXPECT_EQ(e.Sum("telerad_kpi_diagnoses_total", {{"modality_class", "XRAY"}}), 1) << port;
    EXPECT_EQ(e.Sum("telerad_kpi_e_examinations_completed_total", {{"facility", "DEMO"}}), 1)
        << port;
    EXPECT_EQ(e.Sum("telerad_kpi_facilities", {{"activity", "telemedicine"}}), 2) << port;
    EXPECT_EQ(e.Sum("telerad_kpi_facilities", {{"activity", "online_hospital"}}), 1) << port;
    EXPECT_EQ(e.Sum("telerad_kpi_backlog_studies"), 2) << port;
    EXPECT_EQ(e.Sum("telerad_kpi_backlog_studies", {{"priority", "routine"}, {"age", "lt_1h"}}), 2)
        << port;
  }
}

// Each server keeps its recent answers while their window's change count (schema 0016)
// holds still. Every event moves the answers it touches at once, through either server,
// a facility renamed included; an answer about another year is served from memory
// throughout; and every answer equals the one a server that keeps none computes.
TEST_F(KpiTest, RememberedAnswersMoveWithEveryEventAndEqualFreshOnes) {
  const std::string first = SendStudy("DEMO_SCU", "CT", 1801);
  Sign(first);
  // Figures in an earlier month too (received and signed 40 days ago, counted by the
  // schema's triggers): a part that stays remembered while the current month moves.
  db_.Scalar(
      "INSERT INTO study (study_uid, facility_id, modality_class, status, priority, received_at,"
      " ready_at, sla_due_at, reported_at) SELECT '1.2.826.0.1.3680043.10.1801.' || g,"
      " (SELECT id FROM facility WHERE code = 'DEMO'), 'CT', 'reported', 2,"
      " now() - interval '40 days', now() - interval '40 days',"
      " now() - interval '40 days' + interval '4 hours',"
      " now() - interval '40 days' + g * interval '1 hour' FROM generate_series(1, 6) g");
  TeleradServer::Options fresh_options = options_;
  fresh_options.env["TELERAD_KPI_CACHE_ANSWERS"] = "0";
  TeleradServer fresh(db_, fresh_options);
  fresh.Start();
  // Windows of several months too: their earlier months are remembered parts while the
  // current month's moves (kpi_figures_cache.h).
  const auto now = std::chrono::system_clock::now();
  const std::string this_year = "period=" + Day(now).substr(0, 4);
  const std::string since_ten_weeks =
      "from=" + Day(now - std::chrono::hours(24 * 70)) + "&to=" + Day(now + std::chrono::hours(24));
  const std::vector<std::string> questions = {AroundToday(),
                                              AroundToday() + "&group_by=day",
                                              AroundToday() + "&group_by=day,modality",
                                              AroundToday() + "&group_by=facility",
                                              AroundToday() + "&group_by=aimag&facility=DEMO",
                                              "period=2024&group_by=month",
                                              this_year + "&group_by=month,aimag",
                                              this_year + "&group_by=day",
                                              since_ten_weeks + "&group_by=facility,modality",
                                              since_ten_weeks};
  auto answers = [&](int port) {
    std::vector<nlohmann::json> out;
    for (const std::string& q : questions) {
      nlohmann::json k = Kpi(q, port);
      k.erase("backlog");  // now, not the window's
      out.push_back(k);
    }
    return out;
  };
  auto same_as_fresh = [&](const char* step) {
    const auto remembered = answers(server_->http_port), computed = answers(fresh.http_port);
    for (size_t i = 0; i < questions.size(); ++i)
      EXPECT_EQ(remembered[i], computed[i]) << step << ": " << questions[i];
    return remembered;
  };
  auto answered = [&](const char* source) {
    HttpResponse r = Http("GET", server_->http_port, "/metrics", "", ministry_);
    EXPECT_EQ(r.status, 200);
    return ParsePrometheusText(r.body).Sum("telerad_kpi_figures_answers_total",
                                           {{"source", source}});
  };

  auto before = same_as_fresh("one signed study");
  EXPECT_EQ(before[0]["totals"]["diagnoses"]["total"], 1);
  EXPECT_EQ(before[9]["totals"]["diagnoses"]["total"], 7);  // the 40-day-old six included
  EXPECT_EQ(before[9]["totals"]["turnaround"]["all"]["sla_breaches"], 2);
  const double memory = answered("memory"), database = answered("database");
  auto again = same_as_fresh("nothing happened");
  EXPECT_EQ(again, before);
  EXPECT_EQ(answered("memory"), memory + questions.size());  // every one from memory
  EXPECT_EQ(answered("database"), database);

  // A study arrives: every window around today moves, 2024 does not.
  const std::string second = SendStudy("DEMO_SCU", "DX", 1802);
  auto arrived = same_as_fresh("a second study");
  EXPECT_EQ(arrived[0]["totals"]["studies_received"], 2);
  EXPECT_EQ(arrived[1]["totals"]["studies_received"], 2);
  EXPECT_EQ(arrived[5], before[5]);
  EXPECT_EQ(answered("database"), database + questions.size() - 1);

  // Signed through another server that keeps answers of its own.
  TeleradServer other(db_, options_);
  other.Start();
  Sign(second, other.http_port);
  auto signed_there = same_as_fresh("signed through another server");
  EXPECT_EQ(signed_there[0]["totals"]["diagnoses"]["total"], 2);
  EXPECT_EQ(signed_there[2]["totals"]["turnaround"]["all"]["signed"], 2);
  EXPECT_EQ(Kpi(questions[1], other.http_port)["totals"], signed_there[1]["totals"]);

  // A late event in an earlier month (a study received 40 days ago): the part that holds
  // that month is computed again, whatever months it spans.
  const int64_t received_before = signed_there[9]["totals"]["studies_received"];
  db_.Scalar(
      "INSERT INTO study (study_uid, facility_id, modality_class, status, priority, received_at)"
      " SELECT '1.2.826.0.1.3680043.10.1803.1', id, 'CT', 'receiving', 2,"
      " now() - interval '40 days' FROM facility WHERE code = 'DEMO' RETURNING id::text");
  auto late = same_as_fresh("a late event in an earlier month");
  EXPECT_EQ(late[9]["totals"]["studies_received"], received_before + 1);

  // The facility renamed: its groups carry the new name.
  ASSERT_EQ(Call("PATCH", "/api/v1/facilities/DEMO", admin_, {{"name", "Шинэ нэр"}}).status, 200);
  auto renamed = same_as_fresh("facility renamed");
  ASSERT_EQ(renamed[3]["groups"].size(), 1u) << renamed[3].dump();
  EXPECT_EQ(renamed[3]["groups"][0]["facility"]["name"], "Шинэ нэр");
}

// The backlog comes from hourly counts plus the exact times of the hours its age
// boundaries fall in (schema 0017). Waiting studies every 7 minutes over 8 days (each at
// least 30 s from a boundary, so the two counts below see the same ages), of every
// priority, ready and claimed, one without a ready time; then studies signed, cancelled,
// reprioritised and deleted: after each step the API's and /metrics' backlog equal a
// count of every waiting study, and the hourly rows a recount.
TEST_F(KpiTest, BacklogByAgeEqualsACountOfEveryWaitingStudy) {
  db_.Scalar(
      "INSERT INTO study (study_uid, facility_id, status, priority, ready_at)"
      " SELECT '1.2.826.0.1.3680043.10.1742.' || g, (SELECT id FROM facility WHERE code = 'DEMO'),"
      " CASE WHEN g % 4 = 0 THEN 'claimed' ELSE 'ready' END, (g % 3)::smallint,"
      " now() - (3.5 + 7 * g) * interval '1 minute' FROM generate_series(0, 1650) g");
  db_.Scalar(
      "INSERT INTO study (study_uid, facility_id, status, priority) SELECT"
      " '1.2.826.0.1.3680043.10.1742.9999', id, 'ready', 0 FROM facility WHERE code = 'DEMO'");
  const char* kAges[] = {"lt_1h", "1h_4h", "4h_24h", "1d_7d", "ge_7d"};
  const char* kPriorities[] = {"stat", "urgent", "routine"};
  auto counted = [&]() {
    std::map<std::string, int> out;  // "<priority>/<age>" -> studies, every waiting one
    const std::string rows = db_.Scalar(
        "SELECT string_agg(p || '/' || a || '=' || n, ',') FROM (SELECT priority AS p,"
        " CASE WHEN ready_at >= now() - interval '1 hour' THEN 0"
        " WHEN ready_at >= now() - interval '4 hours' THEN 1"
        " WHEN ready_at >= now() - interval '24 hours' THEN 2"
        " WHEN ready_at >= now() - interval '7 days' THEN 3 ELSE 4 END AS a, count(*) AS n"
        " FROM study WHERE status IN ('ready', 'claimed') GROUP BY 1, 2) c");
    std::stringstream in(rows);
    for (std::string item; std::getline(in, item, ',');) {
      const int p = item[0] - '0', a = item[2] - '0';
      out[std::string(kPriorities[p]) + "/" + kAges[a]] = std::stoi(item.substr(4));
    }
    return out;
  };
  auto check = [&](const char* step) {
    SCOPED_TRACE(step);
    const std::map<std::string, int> expected = counted();
    nlohmann::json backlog = Kpi(AroundToday())["backlog"];
    HttpResponse metrics = Http("GET", server_->http_port, "/metrics", "", ministry_);
    EXPECT_EQ(metrics.status, 200);
    PromExposition e = ParsePrometheusText(metrics.body);
    int total = 0;
    for (const char* p : kPriorities) {
      for (const char* a : kAges) {
        const std::string key = std::string(p) + "/" + a;
        const int want = expected.count(key) ? expected.at(key) : 0;
        EXPECT_EQ(backlog[p][a], want) << key;
        EXPECT_EQ(e.Sum("telerad_kpi_backlog_studies", {{"priority", p}, {"age", a}}), want) << key;
        total += want;
      }
    }
    EXPECT_EQ(backlog["total"], total);
    EXPECT_EQ(db_.Scalar("SELECT count(*) FROM (SELECT priority, kpi_backlog_hour(ready_at) AS h,"
                         " count(*) AS n FROM study WHERE status IN ('ready', 'claimed')"
                         " GROUP BY 1, 2) c FULL JOIN kpi_backlog_hourly k"
                         " ON k.priority = c.priority AND k.hour = c.h"
                         " WHERE k.studies IS DISTINCT FROM c.n"),
              "0");
    return total;
  };
  EXPECT_EQ(check("loaded"), 1652);
  // Some in every age signed, some cancelled, some made stat, the one without a ready
  // time given one, the claimed ones under an hour deleted.
  db_.Scalar(
      "UPDATE study SET status = 'reported', reported_at = now() WHERE study_uid LIKE"
      " '1.2.826.0.1.3680043.10.1742.%' AND id % 5 = 0 AND ready_at IS NOT NULL");
  db_.Scalar(
      "UPDATE study SET status = 'cancelled' WHERE study_uid LIKE"
      " '1.2.826.0.1.3680043.10.1742.%' AND id % 7 = 1 AND status = 'ready'");
  db_.Scalar(
      "UPDATE study SET priority = 0 WHERE study_uid LIKE"
      " '1.2.826.0.1.3680043.10.1742.%' AND id % 11 = 2 AND status = 'claimed'");
  db_.Scalar(
      "UPDATE study SET ready_at = now() - interval '5 hours'"
      " WHERE study_uid = '1.2.826.0.1.3680043.10.1742.9999'");
  db_.Scalar(
      "DELETE FROM study WHERE study_uid LIKE '1.2.826.0.1.3680043.10.1742.%'"
      " AND status = 'claimed' AND ready_at > now() - interval '1 hour'");
  const int after = check("after signatures, cancellations, priorities and deletions");
  EXPECT_LT(after, 1652);
  EXPECT_GT(after, 1000);
  // No hour is kept at zero.
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM kpi_backlog_hourly WHERE studies <= 0"), "0");
  db_.Scalar("SELECT kpi_recount()");
  EXPECT_EQ(check("after a recount"), after);
}

TEST_F(KpiTest, DaysAreCountedInTheConfiguredTimeZone) {
  const std::string uid = SendStudy("DEMO_SCU", "CT", 1701);
  Sign(uid);
  // 17:00 UTC on 31 January is 01:00 on 1 February in Ulaanbaatar. (The test moves the
  // times with SQL; the triggers move the counts.)
  db_.Scalar(
      "UPDATE study SET received_at = '2025-01-31 17:00Z', ready_at = '2025-01-31 17:00Z',"
      " reported_at = '2025-01-31 19:30Z'");
  nlohmann::json ub = Kpi("from=2025-02-01&to=2025-02-01");
  EXPECT_EQ(ub["totals"]["studies_received"], 1);
  EXPECT_EQ(ub["totals"]["diagnoses"]["total"], 1);
  // 2.5 hours, as the histogram holds it: within its 10 % bucket.
  const double median = ub["totals"]["turnaround"]["all"]["median_hours"].get<double>();
  EXPECT_NEAR(median, 2.5, 0.25);
  EXPECT_EQ(Kpi("from=2025-01-31&to=2025-01-31")["totals"]["studies_received"], 0);
  // The whole month comes from the monthly histogram, the single day from the national
  // daily one, and with a facility from the signed studies' index: the same figures.
  EXPECT_EQ(Kpi("from=2025-02-01&to=2025-02-01&facility=DEMO")["totals"]["turnaround"],
            ub["totals"]["turnaround"]);
  nlohmann::json february = Kpi("period=2025-02");
  EXPECT_EQ(february["totals"]["turnaround"]["all"]["median_hours"], median);
  EXPECT_EQ(february["totals"]["turnaround"]["routine"]["signed"], 1);
  EXPECT_EQ(february["totals"]["sla_breaches"], 0);
  // A breach is a signature after the study's own deadline.
  db_.Scalar("UPDATE study SET sla_due_at = '2025-01-31 18:00Z'");
  for (const char* window : {"period=2025-02", "from=2025-02-01&to=2025-02-01",
                             "from=2025-01-20&to=2025-03-10", "period=2025Q1"}) {
    nlohmann::json k = Kpi(window);
    EXPECT_EQ(k["totals"]["sla_breaches"], 1) << window;
    EXPECT_EQ(k["totals"]["sla_breach_percent"], 100.0) << window;
    EXPECT_EQ(k["totals"]["turnaround"]["all"]["median_hours"], median) << window;
  }
  nlohmann::json monthly = Kpi("period=2025&group_by=month");
  ASSERT_EQ(monthly["groups"].size(), 1u);
  EXPECT_EQ(monthly["groups"][0]["month"], "2025-02");

  // A server started with another zone recounts the aggregates in it.
  server_->Stop();
  TeleradServer::Options utc = options_;
  utc.env["TELERAD_TIME_ZONE"] = "UTC";
  server_ = std::make_unique<TeleradServer>(db_, utc);
  server_->Start();
  EXPECT_NE(server_->Log().find("event=kpi_recounted time_zone=UTC"), std::string::npos);
  ministry_ = Login(server_->http_port, "ministry1");
  nlohmann::json in_utc = Kpi("from=2025-01-31&to=2025-01-31");
  EXPECT_EQ(in_utc["time_zone"], "UTC");
  EXPECT_EQ(in_utc["totals"]["studies_received"], 1);
  EXPECT_EQ(in_utc["totals"]["diagnoses"]["total"], 1);
  EXPECT_EQ(Kpi("from=2025-02-01&to=2025-02-01")["totals"]["studies_received"], 0);
}

TEST_F(KpiTest, BadRequestsGetClearErrorsAndOtherRolesNone) {
  for (const char* query : {"", "period=2025H3", "from=2025-01-01", "from=2025-02-30&to=2025-03-01",
                            "from=2025-06-01&to=2025-01-01", "period=2025&group_by=patient",
                            "period=2025&group_by=month,year", "period=2025&from=2025-01-01",
                            "period=2025&aimag=%ZZ"}) {
    HttpResponse r = Call("GET", std::string("/api/v1/kpi?") + query, ministry_);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(r.json["error"]["code"], "invalid_argument") << query;
  }
  EXPECT_EQ(Call("GET", "/api/v1/kpi/report", ministry_).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/kpi/report?period=H1", ministry_).status, 400);
  for (const char* user : {"rad1", "fac1", "spec1"}) {
    const std::string token = Login(server_->http_port, user);
    EXPECT_EQ(Call("GET", "/api/v1/kpi?period=2025", token).status, 403) << user;
    EXPECT_EQ(Call("GET", "/api/v1/kpi/report?period=2025H1", token).status, 403) << user;
  }
  EXPECT_EQ(Call("GET", "/api/v1/kpi?period=2025", "").status, 401);
}

}  // namespace
}  // namespace telerad::testing
