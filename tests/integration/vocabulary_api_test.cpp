// Report templates and diagnosis code lists over real HTTP (issue 14): an admin creates
// and edits a template (a stale version is 412, as for reports), a radiologist lists
// them by modality, other roles cannot change them; the starter list answers "J18" and
// "хатгаа"; an admin loads a CSV list, and a bad one is refused naming its line with
// nothing replaced.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class VocabularyApiTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    admin_ = Login(server_->http_port, "admin");
    rad_ = Login(server_->http_port, "rad1");
  }
  HttpResponse Call(const std::string& method, const std::string& path, const std::string& token,
                    const nlohmann::json& body = nullptr,
                    const std::vector<std::string>& headers = {}) {
    return Http(method, server_->http_port, path, body.is_null() ? "" : body.dump(), token,
                headers);
  }
  HttpResponse PutCsv(const std::string& system, const std::string& csv) {
    return Http("PUT", server_->http_port, "/api/v1/codes/" + system, csv, admin_,
                {"Content-Type: text/csv; charset=utf-8"});
  }
  std::vector<std::string> Codes(const HttpResponse& r) {
    std::vector<std::string> codes;
    for (const auto& item : r.json["items"]) codes.push_back(item["code"]);
    return codes;
  }
  std::string admin_, rad_;
};

const nlohmann::json kTemplate = {
    {"name", "Нурууны КТ — хэвийн"},
    {"language", "mn"},
    {"modality_class", "CT"},
    {"body_part", "SPINE"},
    {"findings", "Нугаламын их бие, нумын бүтэн байдал хадгалагдсан."},
    {"impression", "Нурууны КТ-д гэмтлийн өөрчлөлт илрээгүй."}};

TEST_F(VocabularyApiTest, AnAdminCreatesAndEditsATemplateWithItsVersion) {
  HttpResponse created = Call("POST", "/api/v1/report-templates", admin_, kTemplate);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json["version"], 1);
  EXPECT_EQ(created.etag, "\"1\"");
  EXPECT_EQ(created.json["findings"], kTemplate["findings"]);
  EXPECT_EQ(created.json["updated_by"], "admin");
  const std::string path = "/api/v1/report-templates/" + created.json["id"].dump();

  nlohmann::json edit = kTemplate;
  edit["impression"] = "Нурууны КТ-д эмгэг өөрчлөлт илрээгүй.";
  HttpResponse blind = Call("PUT", path, admin_, edit);
  EXPECT_EQ(blind.status, 412) << blind.body;
  EXPECT_EQ(blind.json["error"]["code"], "precondition_failed");
  HttpResponse v2 = Call("PUT", path, admin_, edit, {"If-Match: \"1\""});
  ASSERT_EQ(v2.status, 200) << v2.body;
  EXPECT_EQ(v2.json["version"], 2);
  EXPECT_EQ(v2.etag, "\"2\"");
  edit["impression"] = "stale";
  edit["version"] = 1;
  EXPECT_EQ(Call("PUT", path, admin_, edit).status, 412);
  EXPECT_EQ(db_.Scalar("SELECT impression FROM report_template WHERE name = 'Нурууны КТ — хэвийн'"),
            "Нурууны КТ-д эмгэг өөрчлөлт илрээгүй.");
  HttpResponse clash = Call("POST", "/api/v1/report-templates", admin_, kTemplate);
  EXPECT_EQ(clash.status, 409) << clash.body;
  nlohmann::json bad = kTemplate;
  bad["language"] = "ru";
  HttpResponse invalid = Call("POST", "/api/v1/report-templates", admin_, bad);
  EXPECT_EQ(invalid.status, 422);
  EXPECT_NE(invalid.json["error"]["message"].get<std::string>().find("language"),
            std::string::npos);

  // Each change is in the trail with the template's id; refusals are written
  // asynchronously, so wait for all six, and compare in a fixed order.
  const std::string where = "object_type = 'report_template'";
  for (int i = 0; i < 50 && db_.Scalar("SELECT count(*) FROM audit_event WHERE " + where) != "6";
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const std::string id = created.json["id"].dump();
  EXPECT_EQ(db_.Scalar("SELECT string_agg(action || ':' || object_id || ':' || outcome, ','"
                       " ORDER BY action, outcome, object_id) FROM audit_event WHERE " +
                       where),
            "report_template.create::conflict,report_template.create::invalid,"
            "report_template.create:" +
                id + ":success,report_template.update:" + id + ":conflict,report_template.update:" +
                id + ":conflict,report_template.update:" + id + ":success");

  EXPECT_EQ(Call("DELETE", path, admin_).status, 204);
  EXPECT_EQ(Call("DELETE", path, admin_).status, 404);
  EXPECT_EQ(Call("DELETE", "/api/v1/report-templates/x1", admin_).status, 404);
}

TEST_F(VocabularyApiTest, ARadiologistListsActiveTemplatesByModalityOthersCannotChangeThem) {
  HttpResponse list = Call("GET", "/api/v1/report-templates?modality_class=XRAY&language=mn", rad_);
  ASSERT_EQ(list.status, 200) << list.body;
  std::vector<std::string> names;
  for (const auto& t : list.json["items"]) names.push_back(t["name"]);
  // The starter templates: X-ray ones first, the one for any examination last.
  EXPECT_EQ(names,
            (std::vector<std::string>{"Цээжний рентген — хэвийн", "Яс, үений рентген — хэвийн",
                                      "Хэвийн (бүх шинжилгээ)"}));
  EXPECT_TRUE(list.json["next_cursor"].is_null());
  HttpResponse chest =
      Call("GET", "/api/v1/report-templates?modality_class=CT&body_part=chest&language=en", rad_);
  ASSERT_EQ(chest.status, 200) << chest.body;
  ASSERT_EQ(chest.json["items"].size(), 2u);
  EXPECT_EQ(chest.json["items"][0]["name"], "CT chest — normal");
  EXPECT_EQ(chest.json["items"][0]["body_part"], "CHEST");
  EXPECT_TRUE(chest.json["items"][1]["modality_class"].is_null());  // any

  // An inactive template is the admin's to see.
  nlohmann::json old = kTemplate;
  old["active"] = false;
  ASSERT_EQ(Call("POST", "/api/v1/report-templates", admin_, old).status, 201);
  auto count = [&](const std::string& token) {
    return Call("GET", "/api/v1/report-templates?body_part=SPINE", token).json["items"].size();
  };
  EXPECT_EQ(count(rad_), 2u);    // the two for any examination
  EXPECT_EQ(count(admin_), 3u);  // and the inactive one
  EXPECT_EQ(Call("GET", "/api/v1/report-templates?modality_class=MR", rad_).status, 400);

  for (const char* user : {"ministry1", "fac1", "rad1", "spec1"}) {
    const std::string token = Login(server_->http_port, user);
    HttpResponse refused = Call("POST", "/api/v1/report-templates", token, kTemplate);
    EXPECT_EQ(refused.status, 403) << user;
    EXPECT_EQ(refused.json["error"]["code"], "permission_denied");
    EXPECT_EQ(
        Call("PUT", "/api/v1/report-templates/1", token, kTemplate, {"If-Match: \"1\""}).status,
        403);
    EXPECT_EQ(Call("DELETE", "/api/v1/report-templates/1", token).status, 403);
  }
  EXPECT_EQ(Call("GET", "/api/v1/report-templates", Login(server_->http_port, "ministry1")).status,
            403);
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM report_template"), "13");
}

TEST_F(VocabularyApiTest, TheStarterListAnswersCodesAndCyrillicWordsForEveryRole) {
  for (const char* user : {"rad1", "ministry1", "fac1", "spec1", "admin"}) {
    const std::string token = Login(server_->http_port, user);
    HttpResponse by_code = Call("GET", "/api/v1/codes?system=icd10&q=J18", token);
    ASSERT_EQ(by_code.status, 200) << user << by_code.body;
    EXPECT_EQ(Codes(by_code), (std::vector<std::string>{"J18.1", "J18.9"})) << user;
  }
  // "хатгаа" and "ХАТГАА", percent-encoded as a browser sends them.
  for (const char* q :
       {"%D1%85%D0%B0%D1%82%D0%B3%D0%B0%D0%B0", "%D0%A5%D0%90%D0%A2%D0%93%D0%90%D0%90"}) {
    HttpResponse words = Call("GET", std::string("/api/v1/codes?q=") + q + "&limit=50", rad_);
    ASSERT_EQ(words.status, 200) << words.body;
    const std::vector<std::string> codes = Codes(words);
    EXPECT_NE(std::find(codes.begin(), codes.end(), "J18.9"), codes.end()) << words.body;
    for (const auto& item : words.json["items"]) {
      EXPECT_EQ(item["system"], "icd10");
      EXPECT_FALSE(item["title_en"].get<std::string>().empty());
    }
  }
  HttpResponse exact = Call("GET", "/api/v1/codes?q=j18.9", rad_);
  ASSERT_EQ(exact.status, 200);
  ASSERT_EQ(exact.json["items"].size(), 1u);
  EXPECT_EQ(exact.json["items"][0]["title_mn"], "Хатгаа, тодорхойгүй");
  EXPECT_EQ(exact.json["items"][0]["title_en"], "Pneumonia, unspecified");
  EXPECT_EQ(Call("GET", "/api/v1/codes?limit=51", rad_).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/codes?system=icd9", rad_).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/codes?limit=3", rad_).json["items"].size(), 3u);
  // Every ICD-10 code of the demo's reports and e-examinations is in the starter list.
  for (const char* code : {"R51",   "I63.5", "S06.5", "I26.9", "R91",   "K35.8", "K80.1", "N20.1",
                           "S32.0", "J01.0", "Z01.6", "S52.5", "M17.1", "I10",   "I20.8", "J44.1",
                           "E11.9", "E04.1", "K21.9", "M06.9", "G44.2", "M54.1", "J20.9", "E44.1"})
    EXPECT_EQ(Codes(Call("GET", std::string("/api/v1/codes?system=icd10&q=") + code, rad_)).at(0),
              code);
}

TEST_F(VocabularyApiTest, AnAdminLoadsACsvListAndABadOneReplacesNothing) {
  const std::string good =
      "code,title_mn,title_en\r\n"
      "CA40.0,\"Бактерийн хатгаа, тодорхойгүй\",\"Bacterial pneumonia, unspecified\"\r\n"
      "8B11,Тархины шигдээс,Cerebral ischaemic stroke\r\n";
  HttpResponse loaded = PutCsv("icd11", good);
  ASSERT_EQ(loaded.status, 200) << loaded.body;
  EXPECT_EQ(loaded.json, nlohmann::json({{"system", "icd11"}, {"count", 2}}));
  HttpResponse found = Call("GET", "/api/v1/codes?system=icd11&q=bacterial", rad_);
  ASSERT_EQ(found.status, 200);
  ASSERT_EQ(found.json["items"].size(), 1u);
  EXPECT_EQ(found.json["items"][0]["title_mn"], "Бактерийн хатгаа, тодорхойгүй");  // comma kept
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM diagnosis_code WHERE system = 'icd10'"), "81");

  // Line 3 holds an ICD-10 code: 422 naming it, and the ICD-11 list is as it was.
  HttpResponse bad = PutCsv("icd11",
                            "code,title_mn,title_en\n"
                            "1A00,Холер,Cholera\n"
                            "J18.9,\"Хатгаа, тодорхойгүй\",Pneumonia\n");
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(bad.json["error"]["message"], "line 3: not an ICD-11 code: J18.9");
  EXPECT_EQ(db_.Scalar("SELECT string_agg(code, ',' ORDER BY code) FROM diagnosis_code"
                       " WHERE system = 'icd11'"),
            "8B11,CA40.0");

  // JSON too, for the icd10 list; an unknown system is 404, another type 415.
  HttpResponse json = Call("PUT", "/api/v1/codes/icd10", admin_,
                           nlohmann::json::array({{{"code", "r51"}, {"title_en", "Headache"}}}));
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_EQ(json.json["count"], 1);
  EXPECT_EQ(Codes(Call("GET", "/api/v1/codes?system=icd10", rad_)),
            (std::vector<std::string>{"R51"}));
  HttpResponse item = Call("PUT", "/api/v1/codes/icd10", admin_,
                           nlohmann::json::array({{{"code", "R51"}, {"title_en", "Headache"}},
                                                  {{"title_en", "no code"}}}));
  EXPECT_EQ(item.status, 422);
  EXPECT_EQ(item.json["error"]["message"].get<std::string>().rfind("item 2: ", 0), 0u) << item.body;
  EXPECT_EQ(PutCsv("icd9", good).status, 404);
  EXPECT_EQ(Http("PUT", server_->http_port, "/api/v1/codes/icd11", good, admin_,
                 {"Content-Type: text/plain"})
                .status,
            415);
  EXPECT_EQ(
      Http("PUT", server_->http_port, "/api/v1/codes/icd11", good, rad_, {"Content-Type: text/csv"})
          .status,
      403);
  EXPECT_EQ(db_.Scalar("SELECT string_agg(detail, ',' ORDER BY id) FROM audit_event"
                       " WHERE action = 'code_list.replace' AND outcome = 'success'"),
            "codes=2,codes=1");
  // The 415 is a refusal in the trail, not a success.
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM audit_event WHERE action = 'code_list.replace'"
                       " AND outcome = 'invalid'"),
            "3");
}

}  // namespace
}  // namespace telerad::testing
