// The admin's registry pages in a real browser (Debian's chromium, driven by
// tests/browser/pages_admin.mjs) against the real server: a facility registered with its
// return DICOM address, a machine token created (its secret shown once) and revoked, a
// facility user created for it, the audit trail filtered to that creation, and a
// radiologist refused the registry in words; KPI targets set, edited and deleted, a
// template's version conflict said in words and resolved, a code list file refused with
// its line and then replaced. What the browser did is checked through
// the API and the database afterwards, not only on the screen. Screenshots:
// <build>/browser-artifacts/pages-admin-*.png. Skipped only when /usr/bin/chromium is
// absent (scripts/test installs it).
#include <unistd.h>

#include "tests/integration/browser_script.h"
#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class BrowserAdminTest : public ServerTest {
 protected:
  BrowserAdminTest() {
    options_.env["TELERAD_VIEWER_DIR"] = SourceDir() + "/web/node_modules/@ohif/app/dist";
    options_.env["TELERAD_PAGES_DIR"] = SourceDir() + "/pages/dist";
  }
};

TEST_F(BrowserAdminTest, AnAdminRegistersAFacilityItsTokenAndAUserARadiologistIsRefused) {
  std::string why;
  if (!BrowserAvailable(why)) GTEST_SKIP() << why;
  const std::string password = "Хөвсгөл нуурын эрэг 2026";
  const nlohmann::json report = RunBrowserScript(
      "pages_admin.mjs", server_->http_port,
      "--facility MORON01 --ae MORON_CT --user moron.nurse --user-password " + Quote(password),
      /*needs_pages=*/true);
  ASSERT_FALSE(report.empty());
  const nlohmann::json& steps = report["steps"];
  ASSERT_FALSE(report.contains("error")) << report.dump();

  // The registry in the admin's navigation, its sections under it, facilities first.
  EXPECT_EQ(steps["nav"],
            nlohmann::json({"/app", "/app/worklist", "/app/dashboard", "/app/admin"}));
  EXPECT_EQ(steps["sections"].size(), 6u);
  EXPECT_EQ(steps["current_section"], "Эмнэлгүүд");
  EXPECT_EQ(steps["demo_listed"], true);

  // The facility: registered, said so, chosen in the URL, its return address listed.
  EXPECT_EQ(steps["facility_notice"], "MORON01 эмнэлгийг бүртгэлээ.");
  EXPECT_EQ(steps["facility_url"], "/app/admin/facilities?code=MORON01");
  EXPECT_EQ(steps["facility_row"]["return"], "MORON_PACS@pacs.moron.example:11112");
  const std::string admin = Login(server_->http_port, "admin");
  const HttpResponse facility =
      Http("GET", server_->http_port, "/api/v1/facilities/MORON01", "", admin);
  ASSERT_EQ(facility.status, 200) << facility.body;
  EXPECT_EQ(facility.json["name"], "Мөрөн сумын эмнэлэг");
  EXPECT_EQ(facility.json["aimag"], "Хөвсгөл");
  EXPECT_EQ(facility.json["soum"], "Мөрөн хот");  // the other admin's change, kept
  // The name saved over it from a form loaded before that change: refused, said so, and
  // the form shows the entry as it now is.
  EXPECT_EQ(steps["other_admin_status"], 200);
  EXPECT_NE(steps["stale_problem"].get<std::string>().find("өөр админ"), std::string::npos)
      << steps["stale_problem"];
  EXPECT_EQ(steps["stale_name"], "Мөрөн сумын эмнэлэг");
  EXPECT_EQ(facility.json["version"], 2);
  EXPECT_EQ(facility.json["ae_title"], "MORON_CT");
  EXPECT_EQ(facility.json["active"], true);
  EXPECT_EQ(facility.json["return_dicom"],
            nlohmann::json(
                {{"host", "pacs.moron.example"}, {"port", 11112}, {"ae_title", "MORON_PACS"}}));

  // The machine token: its secret shown once, with the warning, focused for copying;
  // then revoked after the confirmation (Enter on the focused "yes").
  const std::string secret = steps["token_secret"].get<std::string>();
  EXPECT_EQ(secret.rfind("tlm_", 0), 0u) << secret;
  EXPECT_NE(steps["token_warning"].get<std::string>().find("Дахин харуулахгүй"), std::string::npos);
  EXPECT_EQ(steps["token_focus"], "token-secret");
  EXPECT_FALSE(steps["copy_notice"].get<std::string>().empty());
  EXPECT_EQ(steps["secret_gone"], true);
  EXPECT_NE(steps["revoke_question"].get<std::string>().find("moron-gateway"), std::string::npos);
  EXPECT_EQ(steps["revoke_focus"], "revoke-token-confirm");
  EXPECT_NE(steps["revoke_notice"].get<std::string>().find("хүчингүй болголоо"), std::string::npos);
  EXPECT_NE(steps["token_state"].get<std::string>().find("Хүчингүй болгосон"), std::string::npos);
  const HttpResponse tokens =
      Http("GET", server_->http_port, "/api/v1/facilities/MORON01/machine-tokens", "", admin);
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  ASSERT_EQ(tokens.json["items"].size(), 1u) << tokens.body;
  EXPECT_EQ(tokens.json["items"][0]["name"], "moron-gateway");
  EXPECT_EQ(tokens.json["items"][0]["created_by"], "admin");
  EXPECT_EQ(tokens.json["items"][0]["revoked"], true);
  EXPECT_FALSE(tokens.json["items"][0].contains("token"));
  // The revoked secret no longer opens STOW-RS.
  EXPECT_EQ(Http("POST", server_->http_port, "/dicomweb/studies", "", secret).status, 401);

  // A taken username refused in words; then the facility's user, who can sign in.
  EXPECT_NE(steps["taken_text"].get<std::string>().find("бүртгэлтэй байна"), std::string::npos)
      << steps["taken_text"];
  EXPECT_EQ(steps["user_notice"], "moron.nurse хэрэглэгчийг үүсгэлээ.");
  EXPECT_EQ(steps["problem_gone"], true);
  for (const auto& role : steps["filtered_roles"]) EXPECT_EQ(role, "Эмнэлгийн ажилтан");
  const HttpResponse user = Http("GET", server_->http_port, "/api/v1/users/moron.nurse", "", admin);
  ASSERT_EQ(user.status, 200) << user.body;
  EXPECT_EQ(user.json["role"], "facility");
  EXPECT_EQ(user.json["facility_code"], "MORON01");
  EXPECT_EQ(user.json["active"], true);
  EXPECT_FALSE(Login(server_->http_port, "moron.nurse", password).empty());

  // The audit trail filtered in the URL to the user's creation; the page's read is
  // itself in the trail with those filters.
  EXPECT_EQ(steps["audit_url"], "/app/admin/audit?action=user.create&object_id=moron.nurse");
  ASSERT_EQ(steps["audit_rows"].size(), 1u) << steps["audit_rows"].dump();
  EXPECT_EQ(steps["audit_rows"][0]["action"], "user.create");
  EXPECT_EQ(steps["audit_rows"][0]["outcome"], "success");
  EXPECT_EQ(steps["audit_rows"][0]["outcome_words"], "амжилттай");  // in the page's language
  EXPECT_NE(steps["audit_rows"][0]["object"].get<std::string>().find("moron.nurse"),
            std::string::npos);
  EXPECT_EQ(steps["audit_after_reload"]["action"], "user.create");
  EXPECT_EQ(steps["audit_after_reload"]["rows"], 1);
  EXPECT_EQ(steps["english_section"], "Audit trail");
  EXPECT_NE(db_.Scalar("SELECT count(*) FROM audit_event WHERE action = 'audit.view' AND "
                       "username = 'admin' AND detail LIKE '%\"object_id\":\"moron.nurse\"%'"),
            "0");
  EXPECT_EQ(steps["tablet_overflow"], false);

  // A radiologist at the registry's URL: refused in words, no registry in its navigation.
  EXPECT_EQ(steps["refused"]["url"], "/app/admin/users");
  EXPECT_NE(steps["refused"]["text"].get<std::string>().find("Хандах эрхгүй"), std::string::npos);
  EXPECT_EQ(steps["refused"]["nav"], nlohmann::json({"/app", "/app/worklist"}));

  // No console or script error; the only failed requests are the deliberate stale save
  // and taken name.
  for (const auto& [phase, errors] : report["console_errors"].items())
    if (phase != "users-taken" && phase != "stale-facility")
      ADD_FAILURE() << phase << ": " << errors.dump();
  EXPECT_TRUE(report["page_errors"].empty()) << report["page_errors"].dump();
  EXPECT_EQ(report["failed_responses"],
            nlohmann::json({"stale-facility: 412 PATCH /api/v1/facilities/MORON01",
                            "users-taken: 409 POST /api/v1/users"}));
  EXPECT_EQ(report["screenshots"].size(), 8u);
  for (const auto& shot : report["screenshots"])
    EXPECT_EQ(::access(shot.get<std::string>().c_str(), R_OK), 0) << shot;
}

TEST_F(BrowserAdminTest, AnAdminKeepsTargetsTemplatesAndCodeListsAndIsToldOfAConflictInWords) {
  std::string why;
  if (!BrowserAvailable(why)) GTEST_SKIP() << why;
  const std::string admin = Login(server_->http_port, "admin");
  const nlohmann::json draft = {{"name", "Цээж КТ, хэвийн"},     {"language", "mn"},
                                {"modality_class", "CT"},        {"body_part", "CHEST"},
                                {"findings", "Уушги тунгалаг."}, {"impression", "Хэвийн."}};
  const HttpResponse created =
      Http("POST", server_->http_port, "/api/v1/report-templates", draft.dump(), admin);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = std::to_string(created.json["id"].get<long long>());

  const nlohmann::json report =
      RunBrowserScript("pages_admin.mjs", server_->http_port, "--part vocabulary --template " + id,
                       /*needs_pages=*/true);
  ASSERT_FALSE(report.empty());
  const nlohmann::json& steps = report["steps"];
  ASSERT_FALSE(report.contains("error")) << report.dump();

  // Targets: set, edited (the row fills the form), one deleted after its confirmation.
  EXPECT_EQ(steps["target_notice"], "2026H1 — image_diagnoses: хадгаллаа.");
  EXPECT_EQ(steps["edit_filled"], "2400");
  EXPECT_NE(steps["delete_question"].get<std::string>().find("итгэлтэй байна уу"),
            std::string::npos);
  EXPECT_EQ(steps["delete_notice"], "2026H1 — e_examinations зорилтыг устгалаа.");
  const HttpResponse targets =
      Http("GET", server_->http_port, "/api/v1/kpi/targets?period=2026H1", "", admin);
  ASSERT_EQ(targets.status, 200) << targets.body;
  ASSERT_EQ(targets.json["items"].size(), 1u) << targets.body;
  EXPECT_EQ(targets.json["items"][0]["indicator"], "image_diagnoses");
  EXPECT_EQ(targets.json["items"][0]["baseline"], 2000);
  EXPECT_EQ(targets.json["items"][0]["target"], 2500.5);

  // The template: someone else saved first; the page says so in words, loads version 2
  // (with the other's findings) and saves version 3 with this impression.
  EXPECT_EQ(steps["other_save"], 200);
  EXPECT_NE(steps["template_title"].get<std::string>().find("хувилбар 1"), std::string::npos);
  EXPECT_NE(steps["conflict_text"].get<std::string>().find("өөр хэн нэгэн"), std::string::npos);
  EXPECT_NE(steps["reloaded_title"].get<std::string>().find("хувилбар 2"), std::string::npos);
  EXPECT_EQ(steps["reloaded_findings"], "Өөр хүний засвар.");
  EXPECT_EQ(steps["template_notice"], "„Цээж КТ, хэвийн“ загварыг хадгаллаа.");
  const HttpResponse templates =
      Http("GET", server_->http_port, "/api/v1/report-templates", "", admin);
  ASSERT_EQ(templates.status, 200);
  for (const auto& t : templates.json["items"]) {
    if (std::to_string(t["id"].get<long long>()) != id) continue;
    EXPECT_EQ(t["version"], 3);
    EXPECT_EQ(t["findings"], "Өөр хүний засвар.");
    EXPECT_EQ(t["impression"], "Цээжний эрхтэнд эмгэг өөрчлөлтгүй.");
  }

  // The code list: the wrong line named (line 3) and nothing replaced; then replaced.
  EXPECT_NE(steps["bad_file_text"].get<std::string>().find("line 3"), std::string::npos)
      << steps["bad_file_text"];
  EXPECT_NE(steps["replace_question"].get<std::string>().find("icd10.csv"), std::string::npos);
  EXPECT_EQ(steps["codes_notice"], "ICD-10 жагсаалтыг 3 кодоор солилоо.");
  EXPECT_EQ(steps["search_codes"], nlohmann::json({"S72.0"}));
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM diagnosis_code WHERE system = 'icd10'"), "3");

  // Only the deliberate failures: the stale template and the wrong file.
  for (const auto& [phase, errors] : report["console_errors"].items())
    if (phase != "template-conflict" && phase != "codes-bad")
      ADD_FAILURE() << phase << ": " << errors.dump();
  EXPECT_TRUE(report["page_errors"].empty()) << report["page_errors"].dump();
  EXPECT_EQ(report["failed_responses"],
            nlohmann::json({"template-conflict: 412 PUT /api/v1/report-templates/" + id,
                            "codes-bad: 422 PUT /api/v1/codes/icd10"}));
}

}  // namespace
}  // namespace telerad::testing
