// The pages in a real browser: Debian's chromium, driven by tests/browser/pages_*.mjs
// (playwright-core from web/), against the real server serving pages/dist and OHIF from
// one origin. A radiologist's day on the worklist (sign in, claim, release, language,
// a network drop, an expired session, sign out), a ministry user refused the worklist,
// a study opened from the worklist (thumbnails, priors, viewer link, a signed report),
// the worklist's time to interactive with 10,000 studies in the index, and the
// facility's inbox (a critical finding on top, acknowledged; the printable report;
// a priority set).
// Screenshots are kept in <build>/browser-artifacts/ (pages-*.png).
// Skipped only when /usr/bin/chromium is absent (scripts/test installs it).
#include <unistd.h>

#include <algorithm>
#include <regex>

#include "tests/integration/browser_script.h"
#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class BrowserPagesTest : public ServerTest {
 protected:
  BrowserPagesTest() {
    options_.env["TELERAD_VIEWER_DIR"] = SourceDir() + "/web/node_modules/@ohif/app/dist";
    options_.env["TELERAD_PAGES_DIR"] = SourceDir() + "/pages/dist";
  }

  // Runs tests/browser/`script` with `args` and returns its JSON report.
  nlohmann::json RunPages(const std::string& args,
                          const std::string& script = "pages_worklist.mjs") {
    return RunBrowserScript(script, server_->http_port, args, /*needs_pages=*/true);
  }
};

TEST_F(BrowserPagesTest, ARadiologistSignsInClaimsReleasesAndSignsOutAMinistryUserIsRefused) {
  std::string why;
  if (!BrowserAvailable(why)) GTEST_SKIP() << why;
  const std::vector<std::string> uids = ReadyStudies(3, 5101);
  ASSERT_EQ(uids.size(), 3u);
  // One STAT study: marked in the list, and first (most urgent first).
  const std::string admin = Login(server_->http_port, "admin");
  ASSERT_EQ(Http("PATCH", server_->http_port, "/api/v1/studies/" + uids[1],
                 R"({"priority":"stat"})", admin)
                .status,
            200);

  const nlohmann::json report = RunPages("--study " + Quote(uids[1]));
  ASSERT_FALSE(report.empty());
  const nlohmann::json& steps = report["steps"];

  // A stranger at / is sent to sign in (in Mongolian), the cursor in the username.
  EXPECT_EQ(steps["signin_url"], "/app/signin?next=%2F");
  EXPECT_EQ(steps["signin_lang"], "mn");
  EXPECT_EQ(steps["signin_focus"], "username");
  EXPECT_EQ(steps["wrong_password_text"], "Хэрэглэгчийн нэр эсвэл нууц үг буруу байна.");
  // Signed in: the worklist, who and which role in the header, the role's pages only.
  EXPECT_EQ(steps["after_signin_url"], "/app/worklist");
  EXPECT_EQ(steps["header"]["user"], "rad1");
  EXPECT_EQ(steps["header"]["role"], "radiologist");
  EXPECT_EQ(steps["header"]["nav"], nlohmann::json({"/app", "/app/worklist"}));
  EXPECT_EQ(steps["title"], "Ажлын жагсаалт");
  EXPECT_EQ(steps["first_tab_focus"], "skip-link");
  // The STAT study: marked, first, with its deadline counting (an hour: sla_stat).
  EXPECT_EQ(steps["row"]["badge"], "STAT");
  EXPECT_NE(steps["row"]["classes"].get<std::string>().find("priority-stat"), std::string::npos);
  EXPECT_EQ(steps["badges"][0], "STAT");
  EXPECT_EQ(steps["row"]["sla"], "soon") << steps["row"].dump();
  EXPECT_NE(steps["row"]["sla_text"].get<std::string>().find("үлдсэн"), std::string::npos);
  EXPECT_EQ(steps["row"]["viewer_href"], "/viewer?StudyInstanceUIDs=" + uids[1]);
  // Dates in CLDR mn's short pattern, Ulaanbaatar time (chromium's Intl has no
  // Mongolian: the pages assemble it from numeric parts, i18n.tsx).
  EXPECT_TRUE(std::regex_match(steps["row"]["received"].get<std::string>(),
                               std::regex(R"(\d{4}\.\d{2}\.\d{2} \d{2}:\d{2})")))
      << steps["row"].dump() << " " << steps["intl"].dump();
  // Claim, then release.
  EXPECT_EQ(steps["claimed_by"], "rad1");
  EXPECT_NE(steps["claim_notice"].get<std::string>().find("авлаа"), std::string::npos);
  EXPECT_EQ(steps["status_after_release"], "ready");
  EXPECT_NE(steps["release_notice"].get<std::string>().find("буцаалаа"), std::string::npos);
  // English a click away, kept over a reload.
  EXPECT_EQ(steps["english_title"], "Worklist");
  EXPECT_EQ(steps["english_after_reload"], "Worklist");
  EXPECT_EQ(steps["tablet_overflow"], false);
  // A network drop keeps the list, says so, and its retry works.
  EXPECT_EQ(steps["outage"]["list_kept"], true) << steps["outage"].dump();
  EXPECT_EQ(steps["outage"]["retry"], 1);
  EXPECT_EQ(steps["outage"]["recovered"], true);
  // An expired session: sign in again, back to the same filtered list.
  EXPECT_EQ(steps["expired"]["url"], "/app/signin?next=%2Fapp%2Fworklist%3Fmodality%3DCT");
  EXPECT_EQ(steps["expired"]["back_to"], "/app/worklist?modality=CT");
  EXPECT_EQ(steps["expired"]["modality_kept"], "CT");
  // Signed out: the cookie's session is gone.
  EXPECT_EQ(steps["signed_out"]["url"], "/app/signin");
  EXPECT_EQ(steps["signed_out"]["session"], false);
  // The ministry: its dashboard but no worklist in its navigation, and a refusal in words
  // at the worklist's URL.
  EXPECT_EQ(steps["ministry"]["url"], "/app/worklist");
  EXPECT_EQ(steps["ministry"]["role"], "ministry");
  EXPECT_EQ(steps["ministry"]["nav"], nlohmann::json({"/app", "/app/dashboard"}));
  EXPECT_NE(steps["ministry"]["text"].get<std::string>().find("Хандах эрхгүй"), std::string::npos);

  // No console error, no script error, and no failed request but the deliberate ones:
  // the wrong password, the dropped worklist, the expired session's refresh.
  for (const auto& [phase, errors] : report["console_errors"].items())
    if (phase != "network-drop" && phase != "expired" && phase != "sign-in")
      ADD_FAILURE() << phase << ": " << errors.dump();
  for (const auto& error : report["console_errors"]["sign-in"])
    EXPECT_NE(error.get<std::string>().find("401"), std::string::npos) << error;
  EXPECT_TRUE(report["page_errors"].empty()) << report["page_errors"].dump();
  for (const auto& failed : report["failed_responses"]) {
    const std::string f = failed.get<std::string>();
    EXPECT_TRUE(f == "sign-in: 401 POST /api/v1/auth/login" ||
                f == "expired: 401 GET /api/v1/worklist")
        << f;
  }
  for (const auto& shot : report["screenshots"])
    EXPECT_EQ(::access(shot.get<std::string>().c_str(), R_OK), 0) << shot;
}

TEST_F(BrowserPagesTest, ARadiologistOpensAStudyFromTheWorklistWithItsThumbnailsPriorsAndViewer) {
  std::string why;
  if (!BrowserAvailable(why)) GTEST_SKIP() << why;
  // Two studies of one patient: the prior signed with an impression and an ICD-10 code,
  // the current one waiting on the worklist.
  const std::string patient =
      "--modality CT --instances 2 --rows 64 --cols 64 --patient-id PRIOR42 --birth-date 19800615 "
      "--sex F --patient-name 'ДОРЖ^САРАНГЭРЭЛ' --charset ISO_IR_192";
  const std::string prior = ReadyStudies(1, 5301, patient).at(0);
  const std::string current = ReadyStudies(1, 5302, patient).at(0);
  const std::string rad1 = Login(server_->http_port, "rad1");
  const std::string base = "/api/v1/studies/" + prior;
  ASSERT_EQ(Http("POST", server_->http_port, base + "/claim", "", rad1).status, 200);
  const nlohmann::json draft = {{"findings", "Баруун уушгинд нэвчдэс."},
                                {"impression", "Баруун талын хатгаа."},
                                {"icd_codes", {"J18.9"}}};
  ASSERT_EQ(Http("PUT", server_->http_port, base + "/report", draft.dump(), rad1).status, 200);
  ASSERT_EQ(
      Http("POST", server_->http_port, base + "/report/sign", "", rad1, {"If-Match: \"1\""}).status,
      200);

  const nlohmann::json report =
      RunPages("--study " + Quote(current) + " --prior " + Quote(prior), "pages_study.mjs");
  ASSERT_FALSE(report.empty());
  const nlohmann::json& steps = report["steps"];
  EXPECT_TRUE(report["page_errors"].empty()) << report["page_errors"].dump();

  // Opened by keyboard from its worklist row: the patient, in Mongolian first.
  EXPECT_EQ(steps["url"], "/app/studies/" + current);
  EXPECT_EQ(steps["title"], "ДОРЖ САРАНГЭРЭЛ");
  EXPECT_EQ(steps["patient_id"], "PRIOR42");
  EXPECT_TRUE(std::regex_match(steps["birth_date"].get<std::string>(),
                               std::regex(R"(1980\.06\.15 \(\d+ настай\))")))
      << steps["birth_date"];
  EXPECT_EQ(steps["status"], "Уншихад бэлэн") << steps.dump();
  EXPECT_FALSE(steps["sla"].is_null());
  // A series thumbnail the server rendered, loaded lazily with the cookie session.
  EXPECT_EQ(steps["series_count"], 1);
  EXPECT_GT(steps["thumbnail"]["natural_width"].get<int>(), 0) << steps["thumbnail"].dump();
  EXPECT_EQ(steps["thumbnail"]["loading"], "lazy");
  EXPECT_NE(steps["thumbnail"]["src"].get<std::string>().find("/rendered?viewport=128,128"),
            std::string::npos);
  // The prior study, with its signed impression; not the study itself.
  ASSERT_EQ(steps["priors"].size(), 1u) << steps["priors"].dump();
  EXPECT_EQ(steps["priors"][0]["uid"], prior);
  EXPECT_EQ(steps["priors"][0]["impression"], "signed");
  EXPECT_NE(steps["priors"][0]["text"].get<std::string>().find("Баруун талын хатгаа."),
            std::string::npos);
  // No report yet; the editor's place only for the radiologist holding the study.
  EXPECT_EQ(steps["report_state"], "none");
  EXPECT_EQ(steps["editor_place"], 0);
  EXPECT_EQ(steps["claim"], "Та авсан");
  EXPECT_EQ(steps["editor_place_after_claim"], 1);
  EXPECT_EQ(steps["status_after_release"], "Уншихад бэлэн");
  // The viewer link opens the viewer on this study.
  EXPECT_EQ(steps["viewer_href"], "/viewer?StudyInstanceUIDs=" + current);
  EXPECT_EQ(steps["viewer_opened"], "/viewer?StudyInstanceUIDs=" + current);
  // The prior's signed report, read-only, its code with the code list's title.
  EXPECT_EQ(steps["prior_report"]["impression"], "Баруун талын хатгаа.");
  EXPECT_EQ(steps["prior_report"]["codes"], "J18.9 — Хатгаа, тодорхойгүй");
  EXPECT_EQ(steps["prior_report"]["signed"].get<std::string>().rfind("rad1 · ", 0), 0u);
  EXPECT_EQ(steps["prior_report"]["editor_place"], 0);
  EXPECT_EQ(steps["tablet_overflow"], false);

  // No console error and no failed request but the one that says "no report yet" (a
  // 404 the browser also logs as a failed resource).
  const std::string no_report = "404 GET /api/v1/studies/" + current + "/report";
  for (const auto& [phase, errors] : report["console_errors"].items())
    for (const auto& error : errors)
      EXPECT_NE(error.get<std::string>().find("404"), std::string::npos) << phase << ": " << error;
  for (const auto& failed : report["failed_responses"]) {
    const std::string f = failed.get<std::string>();
    EXPECT_EQ(f.substr(f.find(": ") + 2), no_report) << f;
  }
  EXPECT_EQ(report["screenshots"].size(), 2u);
  for (const auto& shot : report["screenshots"])
    EXPECT_EQ(::access(shot.get<std::string>().c_str(), R_OK), 0) << shot;
}

TEST_F(BrowserPagesTest, TheWorklistIsInteractiveWith10000StudiesInTheIndex) {
  std::string why;
  if (!BrowserAvailable(why)) GTEST_SKIP() << why;
  const CommandResult load = TeleradCommand(
      db_, "telerad-bench-load", "--db " + Quote(db_.url()) + " --studies 10000 --seed 14");
  ASSERT_EQ(load.exit_code, 0) << load.output;
  ASSERT_EQ(db_.Scalar("SELECT count(*) FROM study"), "10000");
  const std::string ready = db_.Scalar("SELECT count(*) FROM study WHERE status = 'ready'");
  std::printf("[ figures  ] studies in the index 10000, ready %s\n", ready.c_str());

  const nlohmann::json report = RunPages("--timing 5");
  ASSERT_FALSE(report.empty());
  ASSERT_EQ(report["timing"].size(), 5u);
  std::vector<int> clickable;
  for (const auto& run : report["timing"]) {
    EXPECT_EQ(run["rows"], 50) << run.dump();
    clickable.push_back(run["claim_button_ms"].get<int>());
  }
  std::sort(clickable.begin(), clickable.end());
  std::printf("[ figures  ] worklist to a clickable claim button, median of 5: %d ms (max %d)\n",
              clickable[2], clickable[4]);
  // The goal (< 1 s, issue 14) is a figure to read off a quiet machine, not a pass mark:
  // under ctest -j2 another browser test shares the two cores and the same page measured
  // 0.8 s alone and 1.1 s beside it. The bound here catches a pathology (a list that
  // scans the index, a render loop), not a slow moment.
  EXPECT_LT(clickable[2], 5000);
  EXPECT_TRUE(report["console_errors"].empty()) << report["console_errors"].dump();
}

TEST_F(BrowserPagesTest, AFacilityAcknowledgesACriticalFindingPrintsItsReportAndSetsAPriority) {
  std::string why;
  if (!BrowserAvailable(why)) GTEST_SKIP() << why;
  const std::vector<std::string> uids = ReadyStudies(2, 5301);
  ASSERT_EQ(uids.size(), 2u);
  // rad1 reports the first study with a critical finding, through the API.
  const std::string rad1 = Login(server_->http_port, "rad1");
  const std::string base = "/api/v1/studies/" + uids[0];
  ASSERT_EQ(Http("POST", server_->http_port, base + "/claim", "", rad1).status, 200);
  const nlohmann::json draft = {{"findings", "Баруун уушгины доод дэлбэнд нэвчдэс."},
                                {"impression", "Хатгаа."},
                                {"icd_codes", {"J18.9"}},
                                {"critical", true}};
  ASSERT_EQ(Http("PUT", server_->http_port, base + "/report", draft.dump(), rad1).status, 200);
  ASSERT_EQ(
      Http("POST", server_->http_port, base + "/report/sign", "", rad1, {"If-Match: \"1\""}).status,
      200);

  const nlohmann::json report =
      RunPages("--critical " + Quote(uids[0]) + " --other " + Quote(uids[1]), "pages_inbox.mjs");
  ASSERT_FALSE(report.empty());
  ASSERT_FALSE(report.contains("error")) << report["error"];
  const nlohmann::json& steps = report["steps"];

  // fac1 lands on its inbox; the critical finding is first, marked in words.
  EXPECT_EQ(steps["url"], "/app/inbox");
  EXPECT_EQ(steps["nav"], nlohmann::json({"/app", "/app/inbox", "/app/exams"}));
  EXPECT_EQ(steps["first_row"], uids[0]);
  EXPECT_EQ(steps["critical_row"]["marked"], "pending");
  EXPECT_EQ(steps["critical_row"]["badge"], "Яаралтай мэдэгдэх илрэл");
  EXPECT_EQ(steps["critical_row"]["status"], "Дүгнэсэн");
  EXPECT_TRUE(std::regex_match(steps["critical_row"]["reported"].get<std::string>(),
                               std::regex(R"(\d{4}\.\d{2}\.\d{2} \d{2}:\d{2})")))
      << steps["critical_row"].dump();
  // Acknowledged from the keyboard: the server has it, the page says so.
  EXPECT_EQ(steps["acknowledged_by"], "fac1");
  EXPECT_NE(steps["acknowledge_notice"].get<std::string>().find("танилцсаныг"), std::string::npos);
  // The report page: facility, patient, findings, the code's title from the code list,
  // the critical flag acknowledged, rad1's signature.
  EXPECT_EQ(steps["report_url"], "/app/reports/" + uids[0]);
  const nlohmann::json& page = steps["report"];
  const std::string facility = db_.Scalar("SELECT name FROM facility WHERE code = 'DEMO'");
  EXPECT_NE(page["facility"].get<std::string>().find(facility), std::string::npos) << page.dump();
  EXPECT_EQ(page["findings"], "Баруун уушгины доод дэлбэнд нэвчдэс.");
  EXPECT_EQ(page["impression"], "Хатгаа.");
  EXPECT_EQ(page["codes"], nlohmann::json({"J18.9 Хатгаа, тодорхойгүй"}));
  EXPECT_NE(page["critical"].get<std::string>().find("fac1"), std::string::npos) << page.dump();
  EXPECT_NE(page["signature"].get<std::string>().find("rad1"), std::string::npos) << page.dump();
  // On screen the navigation and the Print button; on paper neither, black on white.
  EXPECT_EQ(steps["screen"], nlohmann::json({{"nav", true}, {"print_button", true}}));
  EXPECT_EQ(steps["print"]["nav"], false);
  EXPECT_EQ(steps["print"]["print_button"], false);
  EXPECT_EQ(steps["print"]["findings"], true);
  EXPECT_EQ(steps["print"]["colors"]["color"], "rgb(0, 0, 0)");
  EXPECT_EQ(steps["print"]["colors"]["background"], "rgb(255, 255, 255)");
  // The other study's priority and clinical question, said back and shown in the list.
  EXPECT_NE(steps["priority_notice"].get<std::string>().find("хадгаллаа"), std::string::npos);
  EXPECT_EQ(steps["other_badge"], "Яаралтай");
  EXPECT_NE(steps["other_clinical"].get<std::string>().find("хатгаа сэжиглэж"), std::string::npos);
  const HttpResponse other =
      Http("GET", server_->http_port, "/api/v1/studies/" + uids[1], "", rad1);
  EXPECT_EQ(other.json["priority"], "urgent");
  EXPECT_EQ(other.json["clinical_info"], "Цээжээр өвдөнө, хатгаа сэжиглэж байна");
  // Its report is not signed: the API's refusal in words.
  EXPECT_NE(steps["unsigned_text"].get<std::string>().find("гарын үсэг зурагдаагүй"),
            std::string::npos)
      << steps["unsigned_text"];
  EXPECT_EQ(steps["tablet_overflow"], false);

  // No console error but the browser's own note of the deliberate 404, no failed request
  // but that one.
  for (const auto& [phase, errors] : report["console_errors"].items())
    if (phase != "unsigned") ADD_FAILURE() << phase << ": " << errors.dump();
  EXPECT_TRUE(report["page_errors"].empty()) << report["page_errors"].dump();
  EXPECT_EQ(report["failed_responses"],
            nlohmann::json({"unsigned: 404 GET /api/v1/studies/" + uids[1] + "/report"}));
  for (const auto& shot : report["screenshots"])
    EXPECT_EQ(::access(shot.get<std::string>().c_str(), R_OK), 0) << shot;
}

}  // namespace
}  // namespace telerad::testing
