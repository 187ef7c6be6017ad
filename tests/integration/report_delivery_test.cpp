// Delivery of signed reports to the facility's PACS, end to end: the real server signs,
// its delivery worker sends a Basic Text SR by C-STORE to DCMTK's storescp, and dsrdump
// reads what arrived. Retries while the PACS is down survive a server restart.
#include <gtest/gtest.h>

#include <thread>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class ReportDeliveryTest : public ServerTest {
 protected:
  ReportDeliveryTest() { options_.env["TELERAD_DELIVERY_RETRY_BASE"] = "1"; }
  void SetUp() override {
    ServerTest::SetUp();
    received_ = MakeTempDir("facility-pacs");
    pacs_port_ = FreePort();
    db_.Scalar("UPDATE facility SET return_host = '127.0.0.1', return_port = " +
               std::to_string(pacs_port_) + ", return_ae_title = 'FACPACS' WHERE code = 'DEMO'");
    rad1_ = Login(server_->http_port, "rad1");
  }
  // Claims, drafts and signs a new ready study; its report path.
  std::string SignedReport(int seed) {
    uid_ = ReadyStudies(1, seed)[0];
    const std::string base = "/api/v1/studies/" + uid_;
    EXPECT_EQ(Http("POST", server_->http_port, base + "/claim", "", rad1_).status, 200);
    nlohmann::json draft = {{"findings", "Тархинд цус харвалтын шинж илрээгүй."},
                            {"impression", "Хэвийн."},
                            {"icd_codes", {"Z03.3"}}};
    EXPECT_EQ(Http("PUT", server_->http_port, base + "/report", draft.dump(), rad1_).status, 200);
    EXPECT_EQ(
        Http("POST", server_->http_port, base + "/report/sign", "", rad1_, {"If-Match: \"1\""})
            .status,
        200);
    return base + "/report";
  }
  // Polls the report until its delivery state is `state` (or ~timeout).
  nlohmann::json WaitForDelivery(const std::string& path, const std::string& state,
                                 int timeout_s = 15) {
    nlohmann::json report;
    for (int i = 0; i < timeout_s * 5; ++i) {
      report = Http("GET", server_->http_port, path, "", rad1_).json;
      if (report.contains("delivery") && report["delivery"]["state"] == state) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return report;
  }
  std::string Dump(const std::string& file) {
    return RunCommand("dsrdump +U8 +Pl " + Quote(file)).output;
  }
  std::string received_, rad1_, uid_;
  int pacs_port_ = 0;
};

TEST_F(ReportDeliveryTest, SignedReportArrivesAtTheFacilityPacsAsSr) {
  StoreScp pacs({"+B", "-od", received_}, pacs_port_);
  const std::string path = SignedReport(1001);
  nlohmann::json report = WaitForDelivery(path, "delivered");
  ASSERT_EQ(report["delivery"]["state"], "delivered") << report.dump() << pacs.Log();
  EXPECT_EQ(report["delivery"]["attempts"], 1);
  EXPECT_FALSE(report["delivery"]["delivered_at"].is_null());

  std::vector<std::string> files = FilesIn(received_);
  ASSERT_EQ(files.size(), 1u);
  const std::string dump = Dump(files[0]);
  EXPECT_NE(dump.find("Basic Text SR"), std::string::npos) << dump;
  EXPECT_NE(dump.find("Тархинд цус харвалтын шинж илрээгүй."), std::string::npos) << dump;
  EXPECT_NE(dump.find("Z03.3"), std::string::npos) << dump;
  EXPECT_NE(dump.find("rad1"), std::string::npos) << dump;  // verifying observer
  CommandResult study =
      RunCommand("dcmdump +P StudyInstanceUID +P SpecificCharacterSet " + Quote(files[0]));
  EXPECT_NE(study.output.find("[" + uid_ + "]"), std::string::npos) << study.output;
  EXPECT_NE(study.output.find("ISO_IR 192"), std::string::npos) << study.output;

  // An addendum is delivered as a new SR instance that carries it.
  nlohmann::json addendum = {{"text", "Нэмэлт дүгнэлт."}};
  ASSERT_EQ(Http("POST", server_->http_port, path + "/addenda", addendum.dump(), rad1_).status,
            201);
  for (int i = 0; i < 75 && FilesIn(received_).size() < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  files = FilesIn(received_);
  ASSERT_EQ(files.size(), 2u) << pacs.Log();
  const std::string both = Dump(files[0]) + Dump(files[1]);
  EXPECT_NE(both.find("Нэмэлт дүгнэлт."), std::string::npos) << both;
  EXPECT_EQ(WaitForDelivery(path, "delivered")["delivery"]["state"], "delivered");
  // Patient data left the server: both sends are in the audit trail.
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM audit_event WHERE action = 'report.deliver' AND "
                       "outcome = 'success' AND object_id = '" +
                       uid_ + "'"),
            "2");
}

TEST_F(ReportDeliveryTest, RemovingTheReturnAddressDropsAPendingDelivery) {
  const std::string path = SignedReport(1003);  // nobody listens: pending
  db_.Scalar("UPDATE facility SET return_host = NULL, return_port = NULL, return_ae_title = NULL");
  nlohmann::json report = WaitForDelivery(path, "none");
  EXPECT_EQ(report["delivery"]["state"], "none") << report.dump();
  EXPECT_NE(report["delivery"]["last_error"].get<std::string>().find("no return DICOM address"),
            std::string::npos);
}

TEST_F(ReportDeliveryTest, RetriesWhilePacsIsDownAndSurvivesARestart) {
  const std::string path = SignedReport(1002);  // nobody listens on the PACS port yet
  std::string attempts = "0";
  for (int i = 0; i < 50 && std::stoi(attempts) < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    attempts = db_.Scalar("SELECT coalesce(max(delivery_attempts), 0) FROM report");
  }
  EXPECT_GE(std::stoi(attempts), 2);  // retried after 1 s, then 2 s
  nlohmann::json pending = Http("GET", server_->http_port, path, "", rad1_).json;
  EXPECT_EQ(pending["delivery"]["state"], "pending");
  EXPECT_FALSE(pending["delivery"]["last_error"].is_null());
  EXPECT_EQ(pending["delivery"]["last_error"].get<std::string>().find("Батболд"),
            std::string::npos);

  ASSERT_EQ(server_->Stop(), 0);
  StoreScp pacs({"+B", "-od", received_}, pacs_port_);
  server_->Start();
  rad1_ = Login(server_->http_port, "rad1");
  nlohmann::json report = WaitForDelivery(path, "delivered", 30);
  EXPECT_EQ(report["delivery"]["state"], "delivered") << report.dump() << server_->Log();
  EXPECT_EQ(FilesIn(received_).size(), 1u);
}

}  // namespace
}  // namespace telerad::testing
