// An acknowledged instance is never lost, and nothing half-stored becomes visible:
// database outages, failing disk writes and kill -9 in the middle of a send.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class DurabilityTest : public ::testing::Test {
 protected:
  void SetUp() override { data_ = MakeTempDir("telerad-data"); }
  void TearDown() override { std::filesystem::remove_all(data_); }
  TestDatabase db_;
  std::string data_;
};

TEST_F(DurabilityTest, DatabaseOutageAnswersOutOfResourcesAndIngestResumesAlone) {
  TeleradServer server(db_, {});
  server.Start();
  Generate(data_ + "/a", "--modality CT --instances 2 --rows 32 --cols 32 --seed 101");
  Generate(data_ + "/b", "--modality CT --instances 2 --rows 32 --cols 32 --seed 102");
  ASSERT_EQ(StoreScu(server.dicom_port, FilesIn(data_ + "/a")).stored.size(), 2u);

  // The outage: no new connections to this database, existing ones cut.
  db_.Admin("ALTER DATABASE " + db_.name() + " ALLOW_CONNECTIONS false");
  db_.Admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
            db_.name() + "'");
  auto during = StoreScu(server.dicom_port, FilesIn(data_ + "/b"));
  EXPECT_TRUE(during.stored.empty()) << during.output;
  EXPECT_NE(during.output.find("Refused: OutOfResources"), std::string::npos) << during.output;
  EXPECT_EQ(Http("GET", server.http_port, "/readyz").status, 503);
  auto staged = PartialStagingFiles(server.storage);
  EXPECT_TRUE(staged.empty()) << staged.front();

  db_.Admin("ALTER DATABASE " + db_.name() + " ALLOW_CONNECTIONS true");
  auto after = StoreScu(server.dicom_port, FilesIn(data_ + "/b"));
  EXPECT_EQ(after.stored.size(), 2u) << after.output;
  EXPECT_EQ(Http("GET", server.http_port, "/readyz").status, 200);
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance"), "4");
  EXPECT_EQ(StoredFiles(server.storage).size(), 4u);  // no orphan from the failed attempt
}

TEST_F(DurabilityTest, FailedDiskWriteAnswersOutOfResourcesAndIndexesNothing) {
  TeleradServer server(db_, {});
  server.Start();
  auto uids = Generate(data_, "--modality CT --instances 2 --rows 32 --cols 32 --seed 111");
  // A plain file where the study's folder must go: every placement fails (ENOTDIR).
  std::ofstream(server.storage + "/" + uids[0]) << "in the way";
  auto outcome = StoreScu(server.dicom_port, FilesIn(data_));
  EXPECT_TRUE(outcome.stored.empty());
  EXPECT_EQ(outcome.failed.size(), 2u) << outcome.output;
  EXPECT_NE(outcome.output.find("Refused: OutOfResources"), std::string::npos) << outcome.output;
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance"), "0");
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM study"), "0");
  EXPECT_TRUE(PartialStagingFiles(server.storage).empty());
  EXPECT_TRUE(EchoScu(server.dicom_port, "DEMO_SCU"));  // still serving
}

TEST_F(DurabilityTest, KillDuringParallelSendLosesNoAcknowledgedInstance) {
  const std::string storage = MakeTempDir("telerad-storage");
  TeleradServer::Options options;
  options.storage = storage;
  auto server = std::make_unique<TeleradServer>(db_, options);
  server->Start();
  for (int i = 0; i < 4; ++i)
    Generate(
        data_ + "/" + std::to_string(i),
        "--modality CT --instances 150 --rows 256 --cols 256 --seed " + std::to_string(120 + i));
  std::vector<std::future<StoreOutcome>> senders;
  for (int i = 0; i < 4; ++i)
    senders.push_back(std::async(std::launch::async, [&, i] {
      return StoreScu(server->dicom_port, FilesIn(data_ + "/" + std::to_string(i)));
    }));
  // Kill once some instances are in, while all four associations are busy.
  for (int i = 0; i < 200 && std::stoi("0" + db_.Scalar("SELECT count(*) FROM instance")) < 60; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  server->Kill();
  std::set<std::string> acknowledged;
  for (auto& s : senders)
    for (const auto& f : s.get().stored) acknowledged.insert(SopInstanceUidOf(f));
  ASSERT_GT(acknowledged.size(), 0u);
  ASSERT_LT(acknowledged.size(), 600u) << "the kill came too late to test anything";

  // Restart on the same storage: leftovers are cleaned, everything acknowledged is there.
  server.reset();
  auto restarted = std::make_unique<TeleradServer>(db_, options);
  restarted->Start();
  EXPECT_TRUE(PartialStagingFiles(storage).empty());
  for (const auto& sop : acknowledged) {
    std::string key =
        db_.Scalar("SELECT storage_key FROM instance WHERE sop_instance_uid = '" + sop + "'");
    ASSERT_FALSE(key.empty()) << "acknowledged but not indexed: " << sop;
    EXPECT_TRUE(std::filesystem::exists(storage + "/" + key)) << key;
  }
  // And no indexed instance lacks its file.
  int indexed = std::stoi(db_.Scalar("SELECT count(*) FROM instance"));
  EXPECT_GE(indexed, static_cast<int>(acknowledged.size()));
  std::set<std::string> on_disk;
  for (const auto& f : StoredFiles(storage)) on_disk.insert(f.substr(storage.size() + 1));
  for (int offset = 0; offset < indexed; offset += 100) {
    pqxx::connection conn(db_.url());
    pqxx::nontransaction txn(conn);
    for (const auto& row :
         txn.exec("SELECT storage_key FROM instance ORDER BY id LIMIT 100 OFFSET " +
                  std::to_string(offset)))
      EXPECT_EQ(on_disk.count(row[0].as<std::string>()), 1u) << row[0].as<std::string>();
  }
  restarted.reset();
  std::filesystem::remove_all(storage);
}

}  // namespace
}  // namespace telerad::testing
