// Two registered senders storing one SOP Instance UID under different studies at the same
// moment (issue 12, item 5): the unique SOP Instance UID decides inside the index
// transaction, so never both get Success, and whoever gets Success has its row and its
// file. Each sender is an in-process DcmSCU whose association is negotiated first; the
// two C-STOREs are then released together, so they meet inside the server.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/scu.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>

#include "tests/integration/harness.h"
#include "tests/integration/settled.h"

namespace telerad::testing {
namespace {

constexpr int kRounds = 20;
constexpr Uint16 kNoAnswer = 0xFFFF;

// Negotiates an association from `calling_ae`, waits for `go`, sends `file`; the
// C-STORE response status, or kNoAnswer if there was none.
Uint16 StoreWhenReleased(int port, const std::string& calling_ae, const std::string& file,
                         std::atomic<int>& ready, const std::atomic<bool>& go) {
  DcmSCU scu;
  scu.setAETitle(calling_ae.c_str());
  scu.setPeerAETitle("TELERAD");
  scu.setPeerHostName("127.0.0.1");
  scu.setPeerPort(static_cast<Uint16>(port));
  scu.setACSETimeout(10);
  scu.setDIMSETimeout(30);
  scu.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
  OFList<OFString> syntaxes;
  syntaxes.push_back(UID_LittleEndianExplicitTransferSyntax);
  scu.addPresentationContext(UID_CTImageStorage, syntaxes);
  const bool associated = scu.initNetwork().good() && scu.negotiateAssociation().good();
  ++ready;
  while (!go) std::this_thread::yield();
  if (!associated) return kNoAnswer;
  Uint16 status = kNoAnswer;
  if (scu.sendSTORERequest(0, file.c_str(), nullptr, status).bad()) status = kNoAnswer;
  scu.releaseAssociation();
  return status;
}

std::string StudyUidOf(const std::string& path) {
  const std::string out = RunCommand("dcmdump +P 0020,000D -s " + Quote(path)).output;
  const auto open = out.find('['), close = out.find(']');
  return open == std::string::npos || close == std::string::npos
             ? ""
             : out.substr(open + 1, close - open - 1);
}

class SopRaceTest : public ServerTest {};

TEST_F(SopRaceTest, TwoSendersOnOneSopInstanceUidNeverBothSucceed) {
  OFLog::configure(OFLogger::WARN_LOG_LEVEL);
  setenv("TCP_NODELAY", "1", 1);
  const std::string admin = Login(server_->http_port, "admin");
  const nlohmann::json second = {
      {"code", "RACE-B"}, {"name", "Second sender"}, {"aimag", "Увс"}, {"ae_title", "RACE_B"}};
  ASSERT_EQ(Http("POST", server_->http_port, "/api/v1/facilities", second.dump(), admin).status,
            201);

  // Round i: file a_i (DEMO_SCU) and file b_i (RACE_B), of different studies, with b_i's
  // SOP Instance UID rewritten to a_i's.
  const std::string args = " --studies " + std::to_string(kRounds) + " --rows 16 --cols 16";
  Generate(data_ + "/a", "--seed 31" + args);
  Generate(data_ + "/b", "--seed 32" + args);
  const std::vector<std::string> a = FilesIn(data_ + "/a"), b = FilesIn(data_ + "/b");
  ASSERT_EQ(a.size(), static_cast<size_t>(kRounds));
  ASSERT_EQ(b.size(), static_cast<size_t>(kRounds));
  std::vector<std::string> sop(kRounds);
  for (int i = 0; i < kRounds; ++i) {
    sop[i] = SopInstanceUidOf(a[i]);
    ASSERT_EQ(RunCommand("dcmodify -nb -m '(0008,0018)=" + sop[i] + "' " + Quote(b[i])).exit_code,
              0);
    ASSERT_EQ(SopInstanceUidOf(b[i]), sop[i]);
  }

  int a_won = 0, b_won = 0, neither = 0;
  for (int i = 0; i < kRounds; ++i) {
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    Uint16 status_a = kNoAnswer, status_b = kNoAnswer;
    std::thread ta(
        [&] { status_a = StoreWhenReleased(server_->dicom_port, "DEMO_SCU", a[i], ready, go); });
    std::thread tb(
        [&] { status_b = StoreWhenReleased(server_->dicom_port, "RACE_B", b[i], ready, go); });
    while (ready < 2) std::this_thread::yield();
    go = true;
    ta.join();
    tb.join();
    SCOPED_TRACE("round " + std::to_string(i));
    WaitUntilSettled(server_->storage);
    EXPECT_FALSE(status_a == 0 && status_b == 0) << "both senders were told Success";
    // The loser is told its UID belongs to another study, not "try again later".
    for (Uint16 s : {status_a, status_b})
      EXPECT_TRUE(s == 0 || s == 0xC001) << std::hex << "status 0x" << s;
    const std::string winner = status_a == 0 ? a[i] : status_b == 0 ? b[i] : "";
    const std::string key =
        db_.Scalar("SELECT storage_key FROM instance WHERE sop_instance_uid = '" + sop[i] + "'");
    if (winner.empty()) {
      ++neither;
      continue;
    }
    ++(status_a == 0 ? a_won : b_won);
    // Success means stored: the row names the winner's study and its file is on disk.
    const std::string study = db_.Scalar(
        "SELECT st.study_uid FROM instance i JOIN series se ON se.id = i.series_id"
        " JOIN study st ON st.id = se.study_id WHERE i.sop_instance_uid = '" +
        sop[i] + "'");
    EXPECT_EQ(study, StudyUidOf(winner));
    ASSERT_FALSE(key.empty());
    EXPECT_TRUE(std::filesystem::exists(server_->storage + "/" + key)) << key;
  }
  // No file without its row: each loser's placed file was removed again.
  EXPECT_EQ(StoredFiles(server_->storage).size(),
            static_cast<size_t>(std::stoi(db_.Scalar("SELECT count(*) FROM instance"))));
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance"), std::to_string(a_won + b_won));
  // A refused attempt leaves no empty study behind.
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM study WHERE num_instances = 0"), "0");
  std::cout << "sop race: rounds=" << kRounds << " first_sender_won=" << a_won
            << " second_sender_won=" << b_won << " neither=" << neither << "\n";
  RecordProperty("first_sender_won", a_won);
  RecordProperty("second_sender_won", b_won);
  // Alive and serving at the end.
  EXPECT_TRUE(EchoScu(server_->dicom_port, "DEMO_SCU"));
  EXPECT_EQ(Http("GET", server_->http_port, "/readyz").status, 200);
}

}  // namespace
}  // namespace telerad::testing
