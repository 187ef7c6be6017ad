// The audit trail: every read or change of patient data and every login attempt is
// recorded with who, role, action, object, time, address and outcome; admins page
// through it; nobody can change or delete it.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class AuditTest : public ServerTest {
 protected:
  HttpResponse Audit(const std::string& query, const std::string& token) {
    return Http("GET", server_->http_port, "/api/v1/audit" + query, "", token);
  }
  // Read entries are committed asynchronously; wait until `n` rows match.
  void WaitForRows(const std::string& where, int n) {
    for (int i = 0; i < 50; ++i) {
      if (std::stoi(db_.Scalar("SELECT count(*) FROM audit_event WHERE " + where)) >= n) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
};

TEST_F(AuditTest, RecordsReadsChangesAndLoginsWithOutcome) {
  const std::string uid = ReadyStudies(1, 901)[0];
  const std::string rad1 = Login(server_->http_port, "rad1");
  EXPECT_EQ(Http("POST", server_->http_port, "/api/v1/auth/login",
                 R"({"username":"rad1","password":"wrong"})")
                .status,
            401);
  EXPECT_EQ(Http("GET", server_->http_port, "/api/v1/studies/" + uid, "", rad1).status, 200);
  EXPECT_EQ(Http("POST", server_->http_port, "/api/v1/studies/" + uid + "/claim", "", rad1).status,
            200);
  const std::string fac1 = Login(server_->http_port, "fac1");
  EXPECT_EQ(Http("POST", server_->http_port, "/api/v1/studies/" + uid + "/claim", "", fac1).status,
            403);
  WaitForRows("true", 6);

  const std::string admin = Login(server_->http_port, "admin");
  HttpResponse rad1_trail = Audit("?username=rad1", admin);
  ASSERT_EQ(rad1_trail.status, 200) << rad1_trail.body;
  std::vector<std::string> seen;
  for (const auto& e : rad1_trail.json["items"])
    seen.push_back(e["action"].get<std::string>() + " " + e["outcome"].get<std::string>());
  // Newest first.
  EXPECT_EQ(seen, (std::vector<std::string>{"study.claim success", "study.view success",
                                            "auth.login unauthenticated", "auth.login success"}));
  const auto& claim = rad1_trail.json["items"][0];
  EXPECT_EQ(claim["role"], "radiologist");
  EXPECT_EQ(claim["object_type"], "study");
  EXPECT_EQ(claim["object_id"], uid);
  EXPECT_EQ(claim["remote_addr"], "127.0.0.1");
  EXPECT_FALSE(claim["at"].get<std::string>().empty());

  HttpResponse denied = Audit("?username=fac1&action=study.claim", admin);
  ASSERT_EQ(denied.json["items"].size(), 1u);
  EXPECT_EQ(denied.json["items"][0]["outcome"], "denied");
  HttpResponse by_object = Audit("?object_id=" + uid, admin);
  EXPECT_EQ(by_object.json["items"].size(), 3u);  // view, claim, refused claim
}

TEST_F(AuditTest, PagesWithACursorAndOnlyAdminsRead) {
  for (int i = 0; i < 5; ++i) Login(server_->http_port, "rad1");
  WaitForRows("action = 'auth.login'", 5);
  const std::string admin = Login(server_->http_port, "admin");
  std::set<std::string> ids;
  std::string cursor;
  int pages = 0;
  do {
    HttpResponse page = Audit(
        "?action=auth.login&username=rad1&limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor),
        admin);
    ASSERT_EQ(page.status, 200) << page.body;
    for (const auto& e : page.json["items"]) ids.insert(e["at"].get<std::string>());
    cursor = page.json["next_cursor"].is_null() ? "" : page.json["next_cursor"].get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(ids.size(), 5u);
  EXPECT_EQ(Audit("?cursor=abc", admin).status, 400);
  EXPECT_EQ(Audit("?limit=0", admin).status, 400);
  for (const char* user : {"rad1", "fac1", "ministry1"})
    EXPECT_EQ(Audit("", Login(server_->http_port, user)).status, 403) << user;
  EXPECT_EQ(Audit("", "").status, 401);
}

TEST_F(AuditTest, TheTrailCannotBeChangedOrDeleted) {
  Login(server_->http_port, "rad1");
  WaitForRows("true", 1);
  EXPECT_THROW(db_.Scalar("UPDATE audit_event SET outcome = 'success'"), std::exception);
  EXPECT_THROW(db_.Scalar("DELETE FROM audit_event"), std::exception);
  EXPECT_THROW(db_.Scalar("TRUNCATE audit_event"), std::exception);
  EXPECT_NE(db_.Scalar("SELECT count(*) FROM audit_event"), "0");
}

}  // namespace
}  // namespace telerad::testing
