// Reports over HTTP against the real server and PostgreSQL: draft versions with
// ETag/If-Match, signing, addenda, immutability, critical findings and who may read what.
#include <gtest/gtest.h>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class ReportTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    AddUser("rad2", "radiologist");
    rad1_ = Login(server_->http_port, "rad1");
    rad2_ = Login(server_->http_port, "rad2");
  }
  HttpResponse Call(const std::string& method, const std::string& path, const std::string& token,
                    const nlohmann::json& body = nullptr,
                    const std::vector<std::string>& headers = {}) {
    return Http(method, server_->http_port, path, body.is_null() ? "" : body.dump(), token,
                headers);
  }
  // A ready study claimed by rad1; its report path.
  std::string ClaimedStudy(int seed) {
    uid_ = ReadyStudies(1, seed)[0];
    EXPECT_EQ(Call("POST", "/api/v1/studies/" + uid_ + "/claim", rad1_).status, 200);
    return "/api/v1/studies/" + uid_ + "/report";
  }
  std::string rad1_, rad2_, uid_;
};

const nlohmann::json kDraft = {{"findings", "Баруун уушгины доод дэлбэнд нэвчдэс."},
                               {"impression", "Уушгины үрэвсэл (Өвчтөн Үүрийнцэцэг)."},
                               {"icd_codes", {"j18.9", "CA40.0", "J18.9"}},
                               {"critical", false}};

TEST_F(ReportTest, DraftVersionsGuardAgainstLostUpdates) {
  const std::string path = ClaimedStudy(801);
  HttpResponse created = Call("PUT", path, rad1_, kDraft);
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.json["status"], "draft");
  EXPECT_EQ(created.json["version"], 1);
  EXPECT_EQ(created.etag, "\"1\"");
  EXPECT_EQ(created.json["findings"], kDraft["findings"]);  // UTF-8 Mongolian round trip
  // Codes are normalised: upper case, duplicates dropped, order kept.
  EXPECT_EQ(created.json["icd_codes"], nlohmann::json({"J18.9", "CA40.0"}));

  // A second save must say which version it edited.
  HttpResponse blind = Call("PUT", path, rad1_, kDraft);
  EXPECT_EQ(blind.status, 412) << blind.body;
  EXPECT_EQ(blind.json["error"]["code"], "precondition_failed");
  HttpResponse v2 = Call("PUT", path, rad1_, kDraft, {"If-Match: \"1\""});
  ASSERT_EQ(v2.status, 200) << v2.body;
  EXPECT_EQ(v2.json["version"], 2);
  // The other tab still holds version 1: refused, and the stored text is v2's.
  nlohmann::json stale = kDraft;
  stale["findings"] = "stale text";
  EXPECT_EQ(Call("PUT", path, rad1_, stale, {"If-Match: \"1\""}).status, 412);
  stale["version"] = 1;
  EXPECT_EQ(Call("PUT", path, rad1_, stale).status, 412);
  HttpResponse now = Call("GET", path, rad1_);
  EXPECT_EQ(now.json["version"], 2);
  EXPECT_EQ(now.json["findings"], kDraft["findings"]);
  EXPECT_EQ(now.etag, "\"2\"");
  EXPECT_EQ(Call("PUT", path, rad1_, kDraft, {"If-Match: bogus"}).status, 400);
}

TEST_F(ReportTest, OnlyTheClaimHolderWritesAndSavesRenewTheLease) {
  const std::string path = ClaimedStudy(802);
  HttpResponse other = Call("PUT", path, rad2_, kDraft);
  EXPECT_EQ(other.status, 409);
  EXPECT_NE(other.json["error"]["message"].get<std::string>().find("rad1"), std::string::npos);
  db_.Scalar("UPDATE study SET claim_expires_at = now() + interval '1 minute'");
  ASSERT_EQ(Call("PUT", path, rad1_, kDraft).status, 200);
  EXPECT_EQ(db_.Scalar("SELECT claim_expires_at > now() + interval '10 minutes' FROM study"), "t");
  EXPECT_EQ(Call("PUT", path, Login(server_->http_port, "admin"), kDraft).status, 403);
  EXPECT_EQ(Call("PUT", path, Login(server_->http_port, "fac1"), kDraft).status, 403);
}

TEST_F(ReportTest, SigningMakesTheReportFinalAndTheStudyReported) {
  const std::string path = ClaimedStudy(803);
  EXPECT_EQ(Call("POST", path + "/sign", rad1_).status, 409);  // nothing to sign yet
  ASSERT_EQ(Call("PUT", path, rad1_, {{"findings", ""}, {"impression", ""}}).status, 200);
  EXPECT_EQ(Call("POST", path + "/sign", rad1_).status, 412);  // which version was read?
  EXPECT_EQ(Call("POST", path + "/sign", rad1_, nullptr, {"If-Match: \"1\""}).status,
            422);  // empty
  ASSERT_EQ(Call("PUT", path, rad1_, kDraft, {"If-Match: \"1\""}).status, 200);
  EXPECT_EQ(Call("POST", path + "/sign", rad1_, nullptr, {"If-Match: \"1\""}).status, 412);
  EXPECT_EQ(Call("POST", path + "/sign", rad2_).status, 409);  // not the holder
  HttpResponse signed_ = Call("POST", path + "/sign", rad1_, nullptr, {"If-Match: \"2\""});
  ASSERT_EQ(signed_.status, 200) << signed_.body;
  EXPECT_EQ(signed_.json["status"], "final");
  EXPECT_EQ(signed_.json["signed_by"], "rad1");
  EXPECT_FALSE(signed_.json["signed_at"].is_null());
  EXPECT_EQ(signed_.json["delivery"]["state"], "none");  // DEMO has no return address
  HttpResponse study = Call("GET", "/api/v1/studies/" + uid_, rad2_);
  EXPECT_EQ(study.json["status"], "reported");
  EXPECT_FALSE(study.json["reported_at"].is_null());
  EXPECT_TRUE(study.json["claimed_by"].is_null());

  // Final means final: no more saves or signs, and not even SQL can change it.
  EXPECT_EQ(Call("PUT", path, rad1_, kDraft, {"If-Match: \"2\""}).status, 409);
  EXPECT_EQ(Call("POST", path + "/sign", rad1_).status, 409);
  EXPECT_EQ(Call("POST", "/api/v1/studies/" + uid_ + "/claim", rad1_).status, 409);
  EXPECT_THROW(db_.Scalar("UPDATE report SET findings = 'changed'"), std::exception);
  EXPECT_THROW(db_.Scalar("DELETE FROM report"), std::exception);
}

TEST_F(ReportTest, AddendaAppendToFinalReportsOnly) {
  const std::string path = ClaimedStudy(804);
  ASSERT_EQ(Call("PUT", path, rad1_, kDraft).status, 200);
  EXPECT_EQ(Call("POST", path + "/addenda", rad2_, {{"text", "early"}}).status, 409);
  ASSERT_EQ(Call("POST", path + "/sign", rad1_, {{"version", 1}}).status, 200);
  EXPECT_EQ(Call("POST", path + "/addenda", rad2_, {{"text", "   "}}).status, 422);
  EXPECT_EQ(Call("POST", path + "/addenda", rad2_, {{"text", 5}}).status, 422);
  EXPECT_EQ(Call("POST", path + "/addenda", rad2_, nlohmann::json::object()).status, 422);
  EXPECT_EQ(Http("POST", server_->http_port, path + "/addenda", "{not json", rad2_).status, 400);
  HttpResponse added =
      Call("POST", path + "/addenda", rad2_, {{"text", "Нэмэлт: CT-ийн дараах хяналт."}});
  ASSERT_EQ(added.status, 201) << added.body;
  ASSERT_EQ(added.json["addenda"].size(), 1u);
  EXPECT_EQ(added.json["addenda"][0]["author"], "rad2");
  EXPECT_EQ(added.json["addenda"][0]["text"], "Нэмэлт: CT-ийн дараах хяналт.");
  EXPECT_EQ(added.json["findings"], kDraft["findings"]);
  EXPECT_THROW(db_.Scalar("DELETE FROM report_addendum"), std::exception);
  EXPECT_EQ(
      Call("POST", path + "/addenda", Login(server_->http_port, "fac1"), {{"text", "x"}}).status,
      403);
}

TEST_F(ReportTest, FacilityReadsOnlySignedReportsOfItsOwnStudies) {
  const std::string path = ClaimedStudy(805);
  const std::string fac1 = Login(server_->http_port, "fac1");
  EXPECT_EQ(Call("GET", path, fac1).status, 404);  // no report
  ASSERT_EQ(Call("PUT", path, rad1_, kDraft).status, 200);
  EXPECT_EQ(Call("GET", path, fac1).status, 404);  // a draft is not for the facility
  EXPECT_TRUE(Call("GET", "/api/v1/worklist", fac1).json["items"][0]["report_status"].is_null());
  EXPECT_EQ(Call("GET", "/api/v1/worklist?status=claimed", rad2_).json["items"][0]["report_status"],
            "draft");
  EXPECT_EQ(Call("GET", path, rad2_).status, 200);
  ASSERT_EQ(Call("POST", path + "/sign", rad1_, {{"version", 1}}).status, 200);
  HttpResponse read = Call("GET", path, fac1);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.json["impression"], kDraft["impression"]);

  // Another facility's user: 404, as if the study did not exist.
  db_.Scalar(
      "INSERT INTO facility (code, name, aimag, ae_title) VALUES ('OTHER', 'Өөр эмнэлэг', "
      "'Дорнод', 'OTHER_SCU')");
  AddUser("fac2", "facility", "OTHER");
  EXPECT_EQ(Call("GET", path, Login(server_->http_port, "fac2")).status, 404);
  EXPECT_EQ(Call("GET", path, Login(server_->http_port, "ministry1")).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/studies/1.2.3.999/report", rad1_).status, 404);
}

TEST_F(ReportTest, CriticalFindingStaysPendingUntilTheFacilityAcknowledges) {
  const std::string path = ClaimedStudy(806);
  nlohmann::json critical = kDraft;
  critical["critical"] = true;
  ASSERT_EQ(Call("PUT", path, rad1_, critical).status, 200);
  EXPECT_EQ(db_.Scalar("SELECT critical_pending FROM study"), "f");  // drafts do not alarm
  ASSERT_EQ(Call("POST", path + "/sign", rad1_, {{"version", 1}}).status, 200);
  EXPECT_EQ(db_.Scalar("SELECT critical_pending FROM study"), "t");
  EXPECT_EQ(Call("POST", path + "/acknowledge", rad1_).status, 403);
  const std::string fac1 = Login(server_->http_port, "fac1");
  HttpResponse inbox = Call("GET", "/api/v1/worklist", fac1);
  ASSERT_EQ(inbox.json["items"].size(), 1u) << inbox.body;
  EXPECT_EQ(inbox.json["items"][0]["critical_pending"], true);
  EXPECT_EQ(inbox.json["items"][0]["report_status"], "final");
  HttpResponse ack = Call("POST", path + "/acknowledge", fac1);
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(ack.json["critical_acknowledged_by"], "fac1");
  EXPECT_EQ(db_.Scalar("SELECT critical_pending FROM study"), "f");
  EXPECT_EQ(Call("POST", path + "/acknowledge", fac1).status, 409);  // already done
  EXPECT_EQ(Call("GET", "/api/v1/worklist", fac1).json["items"][0]["critical_pending"], false);
}

TEST_F(ReportTest, BadIcdCodesAndOversizedTextAreRefusedWithoutEcho) {
  const std::string path = ClaimedStudy(807);
  nlohmann::json bad = kDraft;
  bad["icd_codes"] = {"J18.9", "<script>alert(1)</script>"};
  HttpResponse refused = Call("PUT", path, rad1_, bad);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.body.find("<script>"), std::string::npos);
  bad["icd_codes"] = {"Z99.999999"};
  EXPECT_EQ(Call("PUT", path, rad1_, bad).status, 422);
  bad["icd_codes"] = "J18.9";
  EXPECT_EQ(Call("PUT", path, rad1_, bad).status, 422);
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM report"), "0");
}

}  // namespace
}  // namespace telerad::testing
