// Facility and user administration over HTTP, logout and failed-login throttling, and
// `telerad user add` for the first admin of a production install.
#include <gtest/gtest.h>

#include <thread>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class AdminApiTest : public ServerTest {
 protected:
  AdminApiTest() {
    options_.env["TELERAD_LOGIN_MAX_FAILURES"] = "3";
    options_.env["TELERAD_LOGIN_LOCKOUT_MAX"] = "2";
  }
  void SetUp() override {
    ServerTest::SetUp();
    admin_ = Login(server_->http_port, "admin");
  }
  HttpResponse Call(const std::string& method, const std::string& path,
                    const nlohmann::json& body = nullptr, const std::string& token = "") {
    return Http(method, server_->http_port, path, body.is_null() ? "" : body.dump(),
                token.empty() ? admin_ : token);
  }
  std::string admin_;
};

const nlohmann::json kSoum = {{"code", "GA-TAISHIR"},
                              {"name", "Тайшир сумын эрүүл мэндийн төв"},
                              {"aimag", "Говь-Алтай"},
                              {"soum", "Тайшир"},
                              {"ae_title", "TAISHIR_CR"}};

TEST_F(AdminApiTest, FacilitiesAreRegisteredAndTheirAeTitleAdmitsDicom) {
  HttpResponse created = Call("POST", "/api/v1/facilities", kSoum);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json["name"], kSoum["name"]);
  EXPECT_TRUE(created.json["return_dicom"].is_null());
  EXPECT_EQ(created.json["active"], true);
  EXPECT_EQ(Call("POST", "/api/v1/facilities", kSoum).status, 409);  // code taken
  nlohmann::json same_ae = kSoum;
  same_ae["code"] = "OTHER";
  EXPECT_EQ(Call("POST", "/api/v1/facilities", same_ae).status, 409);  // AE title taken
  nlohmann::json bad = kSoum;
  bad["code"] = "X2";
  bad["ae_title"] = "THIS_AE_IS_FAR_TOO_LONG";
  EXPECT_EQ(Call("POST", "/api/v1/facilities", bad).status, 422);
  bad["ae_title"] = "OK_AE";
  bad["return_dicom"] = {{"host", "10.0.0.5"}, {"port", 70000}, {"ae_title", "PACS"}};
  EXPECT_EQ(Call("POST", "/api/v1/facilities", bad).status, 422);
  EXPECT_EQ(Call("POST", "/api/v1/facilities", {{"code", "X3"}}).status, 422);

  EXPECT_TRUE(EchoScu(server_->dicom_port, "TAISHIR_CR"));
  HttpResponse patched = Call(
      "PATCH", "/api/v1/facilities/GA-TAISHIR",
      {{"active", false},
       {"return_dicom", {{"host", "127.0.0.1"}, {"port", 11190}, {"ae_title", "TAISHIR_PACS"}}}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json["return_dicom"]["ae_title"], "TAISHIR_PACS");
  EXPECT_FALSE(EchoScu(server_->dicom_port, "TAISHIR_CR"));  // inactive: refused
  EXPECT_EQ(Call("PATCH", "/api/v1/facilities/GA-TAISHIR", {{"return_dicom", nullptr}})
                .json["return_dicom"],
            nullptr);
  EXPECT_EQ(Call("GET", "/api/v1/facilities/NOPE").status, 404);
  HttpResponse list = Call("GET", "/api/v1/facilities");
  EXPECT_EQ(list.json["items"].size(), 2u);  // DEMO and the new one
}

TEST_F(AdminApiTest, AFacilityChangeMadeToAnOlderVersionIsRefusedWith412) {
  HttpResponse created = Call("POST", "/api/v1/facilities", kSoum);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json["version"], 1);
  EXPECT_EQ(created.etag, "\"1\"");
  // Two admins open the facility at version 1; the first renames it.
  const std::string path = "/api/v1/facilities/GA-TAISHIR";
  HttpResponse first =
      Http("PATCH", server_->http_port, path, nlohmann::json{{"name", "Тайшир сумын ЭМТ"}}.dump(),
           admin_, {"If-Match: \"1\""});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json["version"], 2);
  EXPECT_EQ(first.etag, "\"2\"");
  // The second sends its whole form, made at version 1: refused, nothing changes.
  nlohmann::json stale_form = kSoum;
  stale_form.erase("code");
  stale_form["soum"] = "Хөх морьт";
  HttpResponse second =
      Http("PATCH", server_->http_port, path, stale_form.dump(), admin_, {"If-Match: \"1\""});
  EXPECT_EQ(second.status, 412) << second.body;
  EXPECT_EQ(second.json["error"]["code"], "precondition_failed");
  HttpResponse now = Call("GET", path);
  EXPECT_EQ(now.json["name"], "Тайшир сумын ЭМТ");
  EXPECT_EQ(now.json["soum"], "Тайшир");
  EXPECT_EQ(now.etag, "\"2\"");
  // "version" in the body says the same; a malformed If-Match is 400.
  stale_form["version"] = 2;
  HttpResponse again = Call("PATCH", path, stale_form);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json["soum"], "Хөх морьт");
  EXPECT_EQ(again.json["version"], 3);
  EXPECT_EQ(Http("PATCH", server_->http_port, path, "{}", admin_, {"If-Match: *"}).status, 400);
  // Without a version, the fields sent are merged onto the latest.
  HttpResponse merged = Call("PATCH", path, {{"active", false}});
  EXPECT_EQ(merged.status, 200) << merged.body;
  EXPECT_EQ(merged.json["soum"], "Хөх морьт");
  EXPECT_EQ(merged.json["active"], false);
  EXPECT_EQ(merged.json["version"], 4);
}

TEST_F(AdminApiTest, UsersAreCreatedDisabledAndResetWithSessionsEnded) {
  ASSERT_EQ(Call("POST", "/api/v1/facilities", kSoum).status, 201);
  nlohmann::json user = {{"username", "taishir1"},
                         {"role", "facility"},
                         {"facility_code", "GA-TAISHIR"},
                         {"password", "Говь-Алтай 2025 passphrase"}};
  HttpResponse created = Call("POST", "/api/v1/users", user);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json["facility_code"], "GA-TAISHIR");
  EXPECT_FALSE(created.json.contains("password"));
  EXPECT_EQ(created.body.find("argon2"), std::string::npos);
  EXPECT_EQ(Call("POST", "/api/v1/users", user).status, 409);
  for (auto [field, value] : {std::pair<const char*, nlohmann::json>{"password", "short"},
                              {"role", "superuser"},
                              {"username", "Bad Name"},
                              {"facility_code", "NOPE"}}) {
    nlohmann::json bad = user;
    bad["username"] = "other";
    bad[field] = value;
    EXPECT_EQ(Call("POST", "/api/v1/users", bad).status, 422) << field;
  }
  nlohmann::json radiologist_with_facility = user;
  radiologist_with_facility["username"] = "rad9";
  radiologist_with_facility["role"] = "radiologist";
  EXPECT_EQ(Call("POST", "/api/v1/users", radiologist_with_facility).status, 422);

  const std::string token = Login(server_->http_port, "taishir1", "Говь-Алтай 2025 passphrase");
  ASSERT_EQ(Call("GET", "/api/v1/worklist", nullptr, token).status, 200);
  ASSERT_EQ(Call("PATCH", "/api/v1/users/taishir1", {{"password", "a new long passphrase"}}).status,
            200);
  EXPECT_EQ(Call("GET", "/api/v1/worklist", nullptr, token).status, 401);  // session ended
  const std::string again = Login(server_->http_port, "taishir1", "a new long passphrase");
  ASSERT_EQ(Call("PATCH", "/api/v1/users/taishir1", {{"active", false}}).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/worklist", nullptr, again).status, 401);
  EXPECT_EQ(
      Http("POST", server_->http_port, "/api/v1/auth/login",
           nlohmann::json{{"username", "taishir1"}, {"password", "a new long passphrase"}}.dump())
          .status,
      401);
  EXPECT_EQ(Call("PATCH", "/api/v1/users/admin", {{"active", false}}).status, 409);  // self
  EXPECT_EQ(Call("PATCH", "/api/v1/users/nobody", {{"active", false}}).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/users/taishir1").json["active"], false);
  EXPECT_GE(Call("GET", "/api/v1/users").json["items"].size(), 5u);
}

TEST_F(AdminApiTest, DeactivatingAFacilityEndsItsUsersSessions) {
  ASSERT_EQ(Call("POST", "/api/v1/facilities", kSoum).status, 201);
  const std::string password = "Говь-Алтай 2025 passphrase";
  ASSERT_EQ(Call("POST", "/api/v1/users",
                 {{"username", "taishir1"},
                  {"role", "facility"},
                  {"facility_code", "GA-TAISHIR"},
                  {"password", password}})
                .status,
            201);
  const std::string token = Login(server_->http_port, "taishir1", password);
  const std::string radiologist = Login(server_->http_port, "rad1");
  ASSERT_EQ(Call("GET", "/api/v1/worklist", nullptr, token).status, 200);
  ASSERT_EQ(Call("PATCH", "/api/v1/facilities/GA-TAISHIR", {{"active", false}}).status, 200);
  // Right after: the token is dead, and the account cannot sign in again.
  EXPECT_EQ(Call("GET", "/api/v1/worklist", nullptr, token).status, 401);
  const std::string login_body =
      nlohmann::json{{"username", "taishir1"}, {"password", password}}.dump();
  EXPECT_EQ(Http("POST", server_->http_port, "/api/v1/auth/login", login_body).status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/worklist", nullptr, radiologist).status, 200);  // others stay
  // Reactivating lets the account sign in afresh; the ended session stays ended.
  ASSERT_EQ(Call("PATCH", "/api/v1/facilities/GA-TAISHIR", {{"active", true}}).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/worklist", nullptr, token).status, 401);
  const std::string fresh = Login(server_->http_port, "taishir1", password);
  EXPECT_EQ(Call("GET", "/api/v1/worklist", nullptr, fresh).status, 200);
}

TEST_F(AdminApiTest, LogoutRevokesTheToken) {
  const std::string token = Login(server_->http_port, "rad1");
  ASSERT_EQ(Call("GET", "/api/v1/worklist", nullptr, token).status, 200);
  EXPECT_EQ(Call("POST", "/api/v1/auth/logout", nullptr, token).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/worklist", nullptr, token).status, 401);
  EXPECT_EQ(Call("POST", "/api/v1/auth/logout", nullptr, token).status, 401);
}

TEST_F(AdminApiTest, RepeatedFailedLoginsAreThrottledForRealAndUnknownNames) {
  auto attempt = [&](const std::string& user, const std::string& password) {
    return Http("POST", server_->http_port, "/api/v1/auth/login",
                nlohmann::json{{"username", user}, {"password", password}}.dump());
  };
  for (const std::string user : {"rad1", "ghost"}) {
    for (int i = 0; i < 3; ++i) EXPECT_EQ(attempt(user, "wrong").status, 401) << user;
    HttpResponse locked = attempt(user, user == "rad1" ? "telerad-demo" : "x");
    EXPECT_EQ(locked.status, 429) << user;
    EXPECT_EQ(locked.json["error"]["code"], "too_many_requests");
  }
  // A name no account can have is refused without touching the database.
  EXPECT_EQ(attempt(std::string(5000, 'a'), "x").status, 401);
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));  // lockout_max 2 s
  EXPECT_EQ(attempt("rad1", "telerad-demo").status, 200);
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM login_failure WHERE username = 'rad1'"), "0");
}

TEST_F(AdminApiTest, UserAddCommandCreatesTheFirstAdmin) {
  const std::string env = "TELERAD_DB_URL=" + Quote(db_.url()) + " ";
  const std::string bin = Quote(BinDir() + "/telerad");
  CommandResult added = RunCommand("echo 'first admin passphrase' | " + env + bin +
                                   " user add --username chief --role admin");
  ASSERT_EQ(added.exit_code, 0) << added.output;
  EXPECT_EQ(added.output.find("first admin passphrase"), std::string::npos);
  EXPECT_FALSE(Login(server_->http_port, "chief", "first admin passphrase").empty());
  EXPECT_EQ(
      RunCommand("echo short | " + env + bin + " user add --username x2 --role admin").exit_code,
      2);
  EXPECT_EQ(RunCommand(env + bin + " user add --username x3").exit_code, 2);
  EXPECT_EQ(db_.Scalar("SELECT outcome FROM audit_event WHERE username = 'cli' AND object_id = "
                       "'chief'"),
            "success");
}

TEST_F(AdminApiTest, OnlyAdminsManageTheRegistry) {
  for (const char* user : {"rad1", "fac1", "ministry1"}) {
    const std::string token = Login(server_->http_port, user);
    EXPECT_EQ(Call("GET", "/api/v1/users", nullptr, token).status, 403) << user;
    EXPECT_EQ(Call("POST", "/api/v1/facilities", kSoum, token).status, 403) << user;
  }
}

}  // namespace
}  // namespace telerad::testing
