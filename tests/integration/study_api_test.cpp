// The HTTP door over ingested data: login, worklist, study view, access rules, and
// patient names in UTF-8 whatever character set the files declared.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class StudyApiTest : public ServerTest {
 protected:
  // Sends one generated study and returns its UID once it is ready.
  std::string SendStudy(const std::string& args) {
    const std::string dir = data_ + "/" + std::to_string(sent_++);
    auto uids = Generate(dir, args);
    EXPECT_EQ(uids.size(), 1u);
    auto outcome = StoreScu(server_->dicom_port, FilesIn(dir));
    EXPECT_FALSE(outcome.stored.empty()) << outcome.output;
    for (int i = 0; i < 100; ++i) {
      if (db_.Scalar("SELECT status FROM study WHERE study_uid = '" + uids[0] + "'") == "ready")
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return uids.empty() ? "" : uids[0];
  }

  int sent_ = 0;
};

TEST_F(StudyApiTest, HealthAndReadinessAnswerWithoutToken) {
  EXPECT_EQ(Http("GET", server_->http_port, "/healthz").status, 200);
  HttpResponse ready = Http("GET", server_->http_port, "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.json["database"], "ok");
  EXPECT_EQ(ready.json["storage"], "ok");
}

TEST_F(StudyApiTest, LoginRejectsBadPasswordAndBadJson) {
  HttpResponse bad = Http("POST", server_->http_port, "/api/v1/auth/login",
                          R"({"username":"rad1","password":"wrong"})");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.json["error"]["code"], "unauthenticated");
  HttpResponse junk = Http("POST", server_->http_port, "/api/v1/auth/login", "{not json");
  EXPECT_EQ(junk.status, 400);
  EXPECT_EQ(junk.json["error"]["code"], "invalid_json");
  HttpResponse missing =
      Http("POST", server_->http_port, "/api/v1/auth/login", R"({"username":"rad1"})");
  EXPECT_EQ(missing.status, 422);
}

TEST_F(StudyApiTest, WorklistNeedsAValidToken) {
  EXPECT_EQ(Http("GET", server_->http_port, "/api/v1/worklist").status, 401);
  EXPECT_EQ(Http("GET", server_->http_port, "/api/v1/worklist", "", "forged-token").status, 401);
  EXPECT_EQ(Http("GET", server_->http_port, "/api/v1/no-such-route").status, 404);
}

TEST_F(StudyApiTest, PatientNamesComeOutInUtf8WhateverTheCharacterSet) {
  const std::string mongolian = "Батболд^Өлзийбаяр Үүрийнцолмон";
  const std::string cyrillic = "Дорж^Бат";
  std::string utf8 = SendStudy(
      "--modality CT --instances 1 --rows 16 --cols 16 --seed 51 "
      "--charset ISO_IR_192 --patient-name " +
      Quote(mongolian));
  std::string latin_cyrillic = SendStudy(
      "--modality CR --instances 1 --rows 16 --cols 16 --seed 52 "
      "--charset ISO_IR_144 --patient-name " +
      Quote(cyrillic));
  std::string ascii = SendStudy(
      "--modality DX --instances 1 --rows 16 --cols 16 --seed 53 "
      "--charset none --patient-name 'DOE^JOHN'");
  const std::string token = Login(server_->http_port, "rad1");
  auto name = [&](const std::string& uid) {
    HttpResponse r = Http("GET", server_->http_port, "/api/v1/studies/" + uid, "", token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json["patient"]["name"].get<std::string>();
  };
  EXPECT_EQ(name(utf8), mongolian);
  EXPECT_EQ(name(latin_cyrillic), cyrillic);
  EXPECT_EQ(name(ascii), "DOE^JOHN");
}

TEST_F(StudyApiTest, WorklistListsReadyStudiesWithTheContractFields) {
  std::string uid = SendStudy("--modality CT --instances 3 --rows 16 --cols 16 --seed 61");
  const std::string token = Login(server_->http_port, "rad1");
  HttpResponse r = Http("GET", server_->http_port, "/api/v1/worklist", "", token);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json["items"].size(), 1u);
  const auto& s = r.json["items"][0];
  for (const char* field :
       {"study_uid", "status", "priority", "modality_class", "modalities", "facility", "patient",
        "accession_number", "study_date", "description", "num_series", "num_instances",
        "received_at", "ready_at", "claimed_by", "reported_at"})
    EXPECT_TRUE(s.contains(field)) << field;
  EXPECT_EQ(s["study_uid"], uid);
  EXPECT_EQ(s["status"], "ready");
  EXPECT_EQ(s["modality_class"], "CT");
  EXPECT_EQ(s["num_instances"], 3);
  EXPECT_EQ(s["facility"]["aimag"], "Говь-Алтай");
  EXPECT_TRUE(r.json["next_cursor"].is_null());

  HttpResponse one = Http("GET", server_->http_port, "/api/v1/studies/" + uid, "", token);
  ASSERT_EQ(one.status, 200);
  ASSERT_EQ(one.json["series"].size(), 1u);
  EXPECT_EQ(one.json["series"][0]["num_instances"], 3);
}

// A page polling the worklist asks with the ETag it last saw: a bodiless 304 while
// nothing changed, the whole list again once a study did (json_etag.h). The answer is
// never cacheable by the browser (patient data): the page keeps the body itself.
TEST_F(StudyApiTest, AnUnchangedWorklistIsA304WithoutABodyAndAChangedOneIsSentInFull) {
  const std::string uid = SendStudy("--modality CT --instances 1 --rows 16 --cols 16 --seed 64");
  const std::string token = Login(server_->http_port, "rad1");
  const HttpResponse first = Http("GET", server_->http_port, "/api/v1/worklist", "", token);
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(first.etag.rfind("W/\"", 0), 0u) << first.etag;
  const std::vector<std::string> condition = {"If-None-Match: " + first.etag};

  const HttpResponse same =
      Http("GET", server_->http_port, "/api/v1/worklist", "", token, condition);
  EXPECT_EQ(same.status, 304);
  EXPECT_TRUE(same.body.empty());
  EXPECT_EQ(same.etag, first.etag);

  ASSERT_EQ(Http("POST", server_->http_port, "/api/v1/studies/" + uid + "/claim", "", token).status,
            200);
  const HttpResponse changed =
      Http("GET", server_->http_port, "/api/v1/worklist", "", token, condition);
  ASSERT_EQ(changed.status, 200) << changed.body;
  // Claimed, the study has left the ready list.
  EXPECT_TRUE(changed.json.contains("items") && changed.json["items"].empty()) << changed.body;
  EXPECT_NE(changed.etag, first.etag);
  // Another user's identical question is answered by its own rights, not by the tag.
  EXPECT_EQ(Http("GET", server_->http_port, "/api/v1/worklist", "", "", condition).status, 401);
}

TEST_F(StudyApiTest, WorklistPagesWithACursor) {
  for (int i = 0; i < 3; ++i)
    SendStudy("--modality CT --instances 1 --rows 16 --cols 16 --seed " + std::to_string(70 + i));
  const std::string token = Login(server_->http_port, "rad1");
  std::set<std::string> seen;
  std::string path = "/api/v1/worklist?limit=2";
  for (int page = 0; page < 3; ++page) {
    HttpResponse r = Http("GET", server_->http_port, path, "", token);
    ASSERT_EQ(r.status, 200) << r.body;
    for (const auto& item : r.json["items"]) seen.insert(item["study_uid"].get<std::string>());
    if (r.json["next_cursor"].is_null()) break;
    path = "/api/v1/worklist?limit=2&cursor=" + r.json["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(Http("GET", server_->http_port, "/api/v1/worklist?cursor=garbage", "", token).status,
            400);
  EXPECT_EQ(Http("GET", server_->http_port, "/api/v1/worklist?status=nonsense", "", token).status,
            400);
}

TEST_F(StudyApiTest, WorklistFiltersByAimagSentPercentEncoded) {
  std::string uid = SendStudy("--modality CT --instances 1 --rows 16 --cols 16 --seed 75");
  const std::string token = Login(server_->http_port, "rad1");
  auto items = [&](const std::string& query) {
    HttpResponse r = Http("GET", server_->http_port, "/api/v1/worklist?" + query, "", token);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    return r.json["items"];
  };
  // The demo facility is in Говь-Алтай.
  auto own = items("aimag=%D0%93%D0%BE%D0%B2%D1%8C-%D0%90%D0%BB%D1%82%D0%B0%D0%B9");
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(own[0]["study_uid"], uid);
  EXPECT_TRUE(items("aimag=%D0%A3%D0%B2%D1%81").empty());  // Увс
  EXPECT_TRUE(items("aimag=%d0%a3%d0%b2%d1%81&modality=CT").empty());
  for (const char* bad : {"aimag=%D0", "aimag=%ZZ", "aimag=%C0%80", "aimag=%00"})
    EXPECT_EQ(
        Http("GET", server_->http_port, std::string("/api/v1/worklist?") + bad, "", token).status,
        400)
        << bad;
}

// Found by tests/fuzz/query_params_fuzz: PercentDecode let through UTF-8 that PostgreSQL
// refuses (a UTF-16 surrogate, 3- and 4-byte overlong forms, code points past U+10FFFF),
// so the filter reached the database and the client got a 500.
TEST_F(StudyApiTest, FuzzFoundSurrogatesAndOverlongPercentEncodingsAre400) {
  const std::string token = Login(server_->http_port, "rad1");
  for (const char* bad : {"aimag=%ED%A0%80", "aimag=%E0%80%80", "aimag=%F0%80%80%80",
                          "aimag=%F4%90%80%80", "aimag=%F5%80%80%80"})
    EXPECT_EQ(
        Http("GET", server_->http_port, std::string("/api/v1/worklist?") + bad, "", token).status,
        400)
        << bad;
  EXPECT_EQ(Http("GET", server_->http_port, "/api/v1/worklist", "", token).status, 200);
}

// Found by tests/fuzz/cursor_fuzz: the worklist cursor decoder took a part that is a lone
// "-" for a number, so "0.-.1" reached PostgreSQL as a bigint and the client got a 500.
TEST_F(StudyApiTest, FuzzFoundCursorPartThatIsALoneMinusIs400) {
  const std::string token = Login(server_->http_port, "rad1");
  for (const char* bad : {"cursor=0.-.1", "cursor=1.5.-", "cursor=-.5.1"})
    EXPECT_EQ(
        Http("GET", server_->http_port, std::string("/api/v1/worklist?") + bad, "", token).status,
        400)
        << bad;
  EXPECT_EQ(Http("GET", server_->http_port, "/api/v1/worklist", "", token).status, 200);
}

TEST_F(StudyApiTest, MinistrySeesNoStudiesAndOtherFacilitiesSeeNothingOfOurs) {
  std::string uid = SendStudy("--modality CT --instances 1 --rows 16 --cols 16 --seed 81");
  const std::string ministry = Login(server_->http_port, "ministry1");
  EXPECT_EQ(Http("GET", server_->http_port, "/api/v1/worklist", "", ministry).status, 403);
  EXPECT_EQ(Http("GET", server_->http_port, "/api/v1/studies/" + uid, "", ministry).status, 403);

  const std::string own = Login(server_->http_port, "fac1");
  HttpResponse inbox = Http("GET", server_->http_port, "/api/v1/worklist", "", own);
  ASSERT_EQ(inbox.status, 200);
  EXPECT_EQ(inbox.json["items"].size(), 1u);
  EXPECT_EQ(Http("GET", server_->http_port, "/api/v1/studies/" + uid, "", own).status, 200);

  // A second facility and its user: our study does not exist for them.
  db_.Scalar(
      "INSERT INTO facility (code, name, aimag, ae_title) VALUES ('OTHER', 'Other', 'Увс', "
      "'OTHER_SCU')");
  db_.Scalar(
      "INSERT INTO app_user (username, role, facility_id, password_hash) SELECT 'fac2', "
      "'facility', id, "
      "(SELECT password_hash FROM app_user WHERE username = 'fac1') FROM facility WHERE code = "
      "'OTHER'");
  const std::string other = Login(server_->http_port, "fac2");
  EXPECT_EQ(Http("GET", server_->http_port, "/api/v1/studies/" + uid, "", other).status, 404);
  HttpResponse other_inbox = Http("GET", server_->http_port, "/api/v1/worklist", "", other);
  EXPECT_EQ(other_inbox.json["items"].size(), 0u);
}

}  // namespace
}  // namespace telerad::testing
