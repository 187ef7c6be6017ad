// DicomReportSender against real DICOM peers: DCMTK's storescp in the roles a facility
// PACS can play (accepting, refusing, not taking SR, failing to store, stalling), plus
// dead ends at the TCP level. No database, no telerad server.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "dicom/dicom_report_sender.h"
#include "tests/integration/harness.h"
#include "tests/sample_report.h"

namespace telerad::testing {
namespace {

using Clock = std::chrono::steady_clock;

ReturnDicom Address(const StoreScp& pacs) { return {"127.0.0.1", pacs.port(), "FACPACS"}; }

class ReportSenderTest : public ::testing::Test {
 protected:
  static constexpr int kTimeoutSeconds = 2;
  dicom::DicomReportSender sender_{"TELERAD", kTimeoutSeconds};
  ReportDocument doc_ = SampleReportDocument();
  std::string received_ = MakeTempDir("report-sender-received");
};

TEST_F(ReportSenderTest, StoredSrReadsBackWithTextCodesAndStudy) {
  StoreScp pacs({"+B", "-od", received_});
  Status s = sender_.Send(Address(pacs), doc_);
  ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << pacs.Log();

  std::vector<std::string> files = FilesIn(received_);
  ASSERT_EQ(files.size(), 1u) << pacs.Log();
  EXPECT_EQ(SopInstanceUidOf(files[0]), doc_.sr_instance_uid);
  // +Pl: whole text values (dsrdump shortens long ones); +Pc: concept name codes too.
  CommandResult dump = RunCommand("dsrdump +U8 +Pl +Pc " + Quote(files[0]));
  ASSERT_EQ(dump.exit_code, 0) << dump.output;
  EXPECT_NE(dump.output.find("Basic Text SR"), std::string::npos) << dump.output;
  EXPECT_NE(dump.output.find("Батболд^Өлзий"), std::string::npos) << dump.output;
  EXPECT_NE(dump.output.find(doc_.report.findings), std::string::npos) << dump.output;
  EXPECT_NE(dump.output.find(doc_.report.impression), std::string::npos) << dump.output;
  EXPECT_NE(dump.output.find(doc_.report.addenda[0].text), std::string::npos) << dump.output;
  EXPECT_NE(dump.output.find("(J18.9,I10,"), std::string::npos) << dump.output;
  EXPECT_NE(dump.output.find("(CA40.0,I11,"), std::string::npos) << dump.output;
  EXPECT_NE(dump.output.find("(18748-4,LN,\"Diagnostic Imaging Report\")"), std::string::npos)
      << dump.output;
  EXPECT_NE(dump.output.find("VERIFIED"), std::string::npos) << dump.output;

  CommandResult study = RunCommand("dcmdump +P StudyInstanceUID " + Quote(files[0]));
  EXPECT_NE(study.output.find("[" + doc_.study.study_uid + "]"), std::string::npos) << study.output;
}

TEST_F(ReportSenderTest, RetrySendsTheSameInstanceAgain) {
  StoreScp pacs({"+B", "-od", received_});
  ASSERT_TRUE(sender_.Send(Address(pacs), doc_).ok()) << pacs.Log();
  std::vector<std::string> files = FilesIn(received_);
  ASSERT_EQ(files.size(), 1u);
  std::string first = DataSetBytes(files[0]);
  std::filesystem::remove(files[0]);
  ASSERT_TRUE(sender_.Send(Address(pacs), doc_).ok()) << pacs.Log();
  files = FilesIn(received_);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(DataSetBytes(files[0]), first);
}

TEST_F(ReportSenderTest, ClosedPortIsUnavailableWithinTheTimeout) {
  ReturnDicom nobody{"127.0.0.1", FreePort(), "FACPACS"};
  auto start = Clock::now();
  Status s = sender_.Send(nobody, doc_);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(kTimeoutSeconds));
}

TEST_F(ReportSenderTest, SilentPeerIsUnavailableWithinTheTimeout) {
  // Accepts TCP connections (the kernel completes them from the backlog) but never says a
  // word of DICOM: only the association timeout ends the wait.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  auto start = Clock::now();
  Status s = sender_.Send({"127.0.0.1", ntohs(addr.sin_port), "FACPACS"}, doc_);
  auto elapsed = Clock::now() - start;
  ::close(fd);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_GE(elapsed, std::chrono::seconds(kTimeoutSeconds) - std::chrono::milliseconds(100));
  EXPECT_LT(elapsed, std::chrono::seconds(kTimeoutSeconds + 2));
}

TEST_F(ReportSenderTest, PeerStallingBeforeItsResponseIsUnavailableWithinTheTimeout) {
  StoreScp pacs({"+B", "-od", received_, "--sleep-during", "10"});
  auto start = Clock::now();
  Status s = sender_.Send(Address(pacs), doc_);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  // One timeout for the response, then up to one more while DCMTK waits for the peer to
  // close after our A-ABORT.
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2 * kTimeoutSeconds + 1));
}

TEST_F(ReportSenderTest, RefusedAssociationIsUnavailable) {
  StoreScp pacs({"--refuse"});
  Status s = sender_.Send(Address(pacs), doc_);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_NE(s.message().find("no association"), std::string::npos) << s.message();
}

TEST_F(ReportSenderTest, PeerWithoutSrStorageIsUnavailable) {
  const std::string config = received_ + "/ct-only.cfg";
  std::ofstream(config) << "[[TransferSyntaxes]]\n[Uncompressed]\n"
                           "TransferSyntax1 = LocalEndianExplicit\n"
                           "TransferSyntax2 = LittleEndianImplicit\n"
                           "[[PresentationContexts]]\n[CtOnly]\n"
                           "PresentationContext1 = VerificationSOPClass\\Uncompressed\n"
                           "PresentationContext2 = CTImageStorage\\Uncompressed\n"
                           "[[Profiles]]\n[CtOnly]\nPresentationContexts = CtOnly\n";
  StoreScp pacs({"-xf", config, "CtOnly", "-od", received_});
  Status s = sender_.Send(Address(pacs), doc_);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString() << "\n" << pacs.Log();
  EXPECT_NE(s.message().find("Basic Text SR Storage"), std::string::npos) << s.message();
}

TEST_F(ReportSenderTest, FailureStatusIsInvalidArgumentWithoutPatientData) {
  // storescp cannot create files in /proc, so it answers 0xA700 (Refused: Out of Resources).
  StoreScp pacs({"+B", "-od", "/proc"});
  Status s = sender_.Send(Address(pacs), doc_);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString() << "\n" << pacs.Log();
  EXPECT_NE(s.message().find("0xA700"), std::string::npos) << s.message();
  for (const std::string& secret :
       {doc_.study.patient.name, doc_.study.patient.id, doc_.study.study_uid})
    EXPECT_EQ(s.message().find(secret), std::string::npos) << s.message();
}

TEST_F(ReportSenderTest, UnbuildableReportIsInternalAndStoresNothing) {
  StoreScp pacs({"+B", "-od", received_});
  doc_.report.signed_at.reset();
  Status s = sender_.Send(Address(pacs), doc_);
  EXPECT_EQ(s.code(), StatusCode::kInternal) << s.ToString();
  EXPECT_TRUE(FilesIn(received_).empty());
}

}  // namespace
}  // namespace telerad::testing
