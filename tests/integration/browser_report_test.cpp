// The report editor in a real browser (tests/browser/pages_report.mjs, Debian's chromium
// with playwright-core from web/) against the real server: a radiologist's day from the
// worklist's keyboard to a signed report with an addendum, through a template, a code
// search, autosave, a version conflict made by a second tab, and a network drop; then
// the facility reads it. What the browser did is checked on the server (the report, the
// study, the audit trail), not only on the page. Screenshots: pages-report-*.png in
// <build>/browser-artifacts/. Skipped only when /usr/bin/chromium is absent.
#include <unistd.h>

#include <string>

#include "tests/integration/browser_script.h"
#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class BrowserReportTest : public ServerTest {
 protected:
  BrowserReportTest() {
    options_.env["TELERAD_VIEWER_DIR"] = SourceDir() + "/web/node_modules/@ohif/app/dist";
    options_.env["TELERAD_PAGES_DIR"] = SourceDir() + "/pages/dist";
  }

  nlohmann::json RunReport(const std::string& args) {
    return RunBrowserScript("pages_report.mjs", server_->http_port, args, /*needs_pages=*/true);
  }

  int AuditCount(const std::string& action, const std::string& uid) {
    return std::stoi(db_.Scalar("SELECT count(*) FROM audit_event WHERE action = '" + action +
                                "' AND object_id = '" + uid + "'"));
  }
};

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

TEST_F(BrowserReportTest,
       ARadiologistWritesThroughAConflictAndANetworkDropSignsAndTheFacilityReads) {
  std::string why;
  if (!BrowserAvailable(why)) GTEST_SKIP() << why;
  const std::string uid =
      ReadyStudies(1, 5401, "--modality CT --body-part CHEST --instances 1 --rows 32 --cols 32")
          .at(0);

  const nlohmann::json report = RunReport("--study " + Quote(uid));
  ASSERT_FALSE(report.empty());
  ASSERT_FALSE(report.contains("error")) << report["error"] << "\n" << report["steps"].dump();
  const nlohmann::json& steps = report["steps"];

  // The worklist by keyboard: the help lists the keys, j/↓ reach the row, c claims it,
  // Enter opens it.
  EXPECT_EQ(steps["help_keys"], nlohmann::json({"j / ↓", "k / ↑", "Enter", "c", "Ctrl+S",
                                                "Ctrl+Shift+Enter", "v", "?"}));
  EXPECT_EQ(steps["row_reached"], true);
  EXPECT_NE(steps["claim_notice"].get<std::string>().find("авлаа"), std::string::npos);
  EXPECT_EQ(steps["row_after_claim"], uid);
  EXPECT_EQ(steps["url"], "/app/studies/" + uid);

  // The templates of a chest CT in Mongolian (the body part read from the series over
  // QIDO-RS): the chest one and the one for any study, not the abdominal one; one is
  // inserted; over written text it asks first.
  EXPECT_EQ(steps["templates"], nlohmann::json({"Цээжний КТ — хэвийн", "Хэвийн (бүх шинжилгээ)"}));
  const std::string impression = steps["template_impression"];
  EXPECT_FALSE(impression.empty());
  EXPECT_NE(steps["replace_question"].get<std::string>().find("солих уу"), std::string::npos);
  EXPECT_EQ(steps["kept_after_decline"], true);
  // A code found by its Mongolian title, chosen with the arrows and Enter.
  EXPECT_EQ(steps["active_option"], "J18.9");
  EXPECT_EQ(steps["chips"], nlohmann::json({"J18.9 Хатгаа, тодорхойгүй"}));

  // Autosave reached the server, said "saved at hh:mm".
  const std::string mine = "Баруун уушгины доод дэлбэнд нэвчдэс илэрсэн.";
  EXPECT_EQ(steps["autosaved"]["findings"], mine) << steps["autosaved"].dump();
  EXPECT_EQ(steps["autosaved"]["status"], "draft");
  EXPECT_EQ(steps["autosaved"]["icd_codes"], nlohmann::json({"J18.9"}));
  EXPECT_EQ(steps["autosaved"]["critical"], true);
  EXPECT_TRUE(EndsWith(steps["saved_text"], "-д хадгалсан")) << steps["saved_text"];
  EXPECT_EQ(steps["tablet_overflow"], false);

  // The second tab's save, then this tab's: both texts shown, "keep mine" saved mine
  // over the second tab's version.
  EXPECT_EQ(steps["second_tab_save"]["status"], 200);
  const int theirs_version = steps["second_tab_save"]["version"];
  EXPECT_EQ(steps["conflict"]["theirs"], "Өөр табаас бичсэн ноорог.");
  EXPECT_EQ(steps["conflict"]["mine"], mine + " Тодруулга.");
  EXPECT_EQ(steps["conflict"]["state"], "conflict");
  EXPECT_EQ(steps["after_keep_mine"]["findings"], mine + " Тодруулга.");
  EXPECT_EQ(steps["after_keep_mine"]["version"], theirs_version + 1);

  // Offline: said so, saved when the network came back; left offline and reopened: the
  // edit kept in the browser restored (said so) and saved, then forgotten.
  EXPECT_NE(steps["offline_text"].get<std::string>().find("сүлжээ тасарсан"), std::string::npos);
  const std::string online = mine + " Тодруулга. Сүлжээ тасарсан үед бичсэн.";
  EXPECT_EQ(steps["after_online"]["findings"], online);
  EXPECT_EQ(steps["kept_in_browser"], 1);
  EXPECT_NE(steps["restored_notice"].get<std::string>().find("сэргээлээ"), std::string::npos);
  const std::string final_findings = online + " Таб хаагдахаас өмнө бичсэн.";
  EXPECT_EQ(steps["after_reopen"]["findings"], final_findings);
  EXPECT_EQ(steps["kept_after_save"], 0);

  // Signed after the confirmation that sums it up; the editor gone, the report final.
  EXPECT_EQ(steps["sign_summary"]["impression"], impression);
  EXPECT_EQ(steps["sign_summary"]["codes"], "J18.9 Хатгаа, тодорхойгүй");
  EXPECT_NE(steps["sign_summary"]["critical"].get<std::string>().find("Тийм"), std::string::npos);
  EXPECT_EQ(steps["after_sign"]["editor"], 0);
  EXPECT_EQ(steps["after_sign"]["findings_heading"], "Илэрц");
  const std::string addendum = "Нэмэлт: өмнөх зурагтай харьцуулахад өөрчлөлтгүй.";
  EXPECT_EQ(steps["addendum_shown"], addendum);

  // The server's state: final, as written, signed by rad1, the addendum, the study
  // reported; each save and the sign audited.
  const std::string rad1 = Login(server_->http_port, "rad1");
  const HttpResponse saved =
      Http("GET", server_->http_port, "/api/v1/studies/" + uid + "/report", "", rad1);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(saved.json["status"], "final");
  EXPECT_EQ(saved.json["findings"], final_findings);
  EXPECT_EQ(saved.json["impression"], impression);
  EXPECT_EQ(saved.json["icd_codes"], nlohmann::json({"J18.9"}));
  EXPECT_EQ(saved.json["critical"], true);
  EXPECT_EQ(saved.json["signed_by"], "rad1");
  ASSERT_EQ(saved.json["addenda"].size(), 1u);
  EXPECT_EQ(saved.json["addenda"][0]["text"], addendum);
  EXPECT_EQ(saved.json["addenda"][0]["author"], "rad1");
  EXPECT_EQ(db_.Scalar("SELECT status FROM study WHERE study_uid = '" + uid + "'"), "reported");
  EXPECT_GE(AuditCount("report.save", uid), 5);
  EXPECT_EQ(AuditCount("report.sign", uid), 1);
  EXPECT_EQ(AuditCount("report.addendum", uid), 1);

  // fac1: the report in its inbox, its printable page with "Илэрц", the study page
  // read-only (no claim, no editor, no addendum form).
  EXPECT_EQ(steps["printable"]["url"], "/app/reports/" + uid);
  EXPECT_EQ(steps["printable"]["findings"], final_findings);
  EXPECT_EQ(steps["printable"]["print_button"], true);
  EXPECT_NE(steps["printable"]["headings"].dump().find("Илэрц"), std::string::npos);
  const nlohmann::json& facility = steps["facility_study"];
  EXPECT_EQ(facility["report"], "final");
  EXPECT_EQ(facility["claim"], 0);
  EXPECT_EQ(facility["release"], 0);
  EXPECT_EQ(facility["editor"], 0);
  EXPECT_EQ(facility["textareas"], 0);
  EXPECT_EQ(facility["addendum_form"], 0);

  // No script error; no failed request or console error but the deliberate ones: "no
  // report yet" on opening the study and while the script polls for the first save, and
  // the second tab's conflict (412).
  EXPECT_TRUE(report["page_errors"].empty()) << report["page_errors"].dump();
  const std::string none = "404 GET /api/v1/studies/" + uid + "/report";
  const std::string stale = "conflict: 412 PUT /api/v1/studies/" + uid + "/report";
  for (const auto& failed : report["failed_responses"]) {
    const std::string f = failed.get<std::string>();
    EXPECT_TRUE(f == stale || f == "worklist: " + none || f == "template: " + none ||
                f == "findings: " + none)
        << f;
  }
  for (const auto& [phase, errors] : report["console_errors"].items())
    for (const auto& error : errors) {
      const std::string e = error.get<std::string>();
      EXPECT_TRUE((phase == "conflict" && e.find("412") != std::string::npos) ||
                  ((phase == "worklist" || phase == "template" || phase == "findings") &&
                   e.find("404") != std::string::npos))
          << phase << ": " << e;
    }
  EXPECT_GE(report["screenshots"].size(), 8u);
  for (const auto& shot : report["screenshots"])
    EXPECT_EQ(::access(shot.get<std::string>().c_str(), R_OK), 0) << shot;
}

TEST_F(BrowserReportTest, AFacilityUserSeesItsStudyPageReadOnlyWhileARadiologistWrites) {
  std::string why;
  if (!BrowserAvailable(why)) GTEST_SKIP() << why;
  const std::string uid = ReadyStudies(1, 5402).at(0);
  const std::string rad1 = Login(server_->http_port, "rad1");
  const std::string base = "/api/v1/studies/" + uid;
  ASSERT_EQ(Http("POST", server_->http_port, base + "/claim", "", rad1).status, 200);
  ASSERT_EQ(Http("PUT", server_->http_port, base + "/report",
                 R"({"findings":"Ноорог","impression":"","icd_codes":[]})", rad1)
                .status,
            200);

  const nlohmann::json report = RunReport("--study " + Quote(uid) + " --facility-only true");
  ASSERT_FALSE(report.empty());
  ASSERT_FALSE(report.contains("error")) << report["error"];
  const nlohmann::json& facility = report["steps"]["facility_study"];
  // The draft is not the facility's to read (404), and nothing on the page writes.
  EXPECT_EQ(facility["report"], "none") << facility.dump();
  EXPECT_EQ(facility["claim"], 0);
  EXPECT_EQ(facility["release"], 0);
  EXPECT_EQ(facility["editor"], 0);
  EXPECT_EQ(facility["textareas"], 0);
  EXPECT_EQ(facility["addendum_form"], 0);
  EXPECT_EQ(facility["keys_button"], 0);
  // The draft on the server untouched by the visit.
  const HttpResponse draft = Http("GET", server_->http_port, base + "/report", "", rad1);
  EXPECT_EQ(draft.json["status"], "draft");
  EXPECT_EQ(draft.json["findings"], "Ноорог");
  EXPECT_EQ(draft.json["version"], 1);
  EXPECT_TRUE(report["page_errors"].empty()) << report["page_errors"].dump();
  for (const auto& failed : report["failed_responses"])
    EXPECT_EQ(failed, "facility-study: 404 GET " + base + "/report");
}

}  // namespace
}  // namespace telerad::testing
