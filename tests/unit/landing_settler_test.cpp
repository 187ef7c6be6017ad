#include "src/ingest/landing_settler.h"

#include <gtest/gtest.h>

#include "tests/unit/fakes.h"

namespace telerad {
namespace {

constexpr const char* kKey = "1.2.3.4/1.2.3.4.5/1.2.3.4.5.6.dcm";
constexpr const char* kName = "7_1.2.3.4_1.2.3.4.5_1.2.3.4.5.6.dcm";

InstanceHeader GoodHeader() {
  InstanceHeader h;
  h.sop_class_uid = "1.2.840.10008.5.1.4.1.1.2";
  h.sop_instance_uid = "1.2.3.4.5.6";
  h.study_uid = "1.2.3.4";
  h.series_uid = "1.2.3.4.5";
  h.transfer_syntax_uid = "1.2.840.10008.1.2.1";
  h.modality = "CT";
  return h;
}

class LandingSettlerTest : public ::testing::Test {
 protected:
  LandingSettlerTest()
      : ingest_(studies_, facilities_, files_),
        settler_(files_, studies_, facilities_, ingest_, reader_, SystemClock::Instance(),
                 {std::chrono::milliseconds(1000), std::chrono::seconds(30)},
                 [this](const SettleReport& r) { reports_.push_back(r); }) {
    sender_.id = 7;
    sender_.code = "DEMO";
    sender_.ae_title = "DEMO_SCU";
    facilities_.by_ae["DEMO_SCU"] = sender_;
  }
  StagedFile Staged() { return files_.Stage().value(); }

  FakeStudyRepository studies_;
  FakeFacilityRepository facilities_;
  FakeFileStore files_;
  FakeInstanceFileReader reader_;
  IngestService ingest_;
  LandingSettler settler_;
  Facility sender_;
  std::vector<SettleReport> reports_;
};

TEST_F(LandingSettlerTest, IndexedFileMovesIntoPlaceAfterTheIndexIsMadeDurable) {
  ASSERT_TRUE(ingest_.Ingest(sender_, GoodHeader(), Staged(), 100).ok());
  ASSERT_EQ(files_.landing.size(), 1u);
  const int flushes = studies_.durable_calls;
  auto pass = settler_.SettleOnce(false);
  ASSERT_TRUE(pass.ok()) << pass.status().ToString();
  EXPECT_EQ(pass->settled, 1);
  EXPECT_EQ(pass->reindexed, 0);
  EXPECT_EQ(studies_.durable_calls, flushes + 1);  // one flush for the whole batch
  EXPECT_TRUE(files_.landing.empty());
  EXPECT_EQ(files_.placed, std::vector<std::string>{kKey});
  EXPECT_EQ(files_.synced_batches, std::vector<size_t>{1});
  ASSERT_EQ(reports_.size(), 1u);
  EXPECT_EQ(reports_[0].settled, 1);
}

TEST_F(LandingSettlerTest, LostRowIsIndexedAgainFromTheLandedFileAtStartUp) {
  files_.AddLanded(kName, std::chrono::seconds(1));
  reader_.headers[files_.LandingPathOf(kName)] = GoodHeader();
  auto pass = settler_.SettleOnce(true);
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->settled, 1);
  EXPECT_EQ(pass->reindexed, 1);
  ASSERT_EQ(studies_.instances.count("1.2.3.4.5.6"), 1u);
  EXPECT_EQ(studies_.instances["1.2.3.4.5.6"].storage_key, kKey);
  EXPECT_EQ(studies_.instances["1.2.3.4.5.6"].facility_id, 7);
  EXPECT_EQ(studies_.studies["1.2.3.4"].num_instances, 1);
  EXPECT_TRUE(files_.landing.empty());
  // Again: nothing left, nothing counted twice.
  EXPECT_EQ(settler_.SettleOnce(true)->settled, 0);
  EXPECT_EQ(studies_.studies["1.2.3.4"].num_instances, 1);
}

TEST_F(LandingSettlerTest, YoungFileWithoutRowWaitsOutsideStartUp) {
  // Perhaps another server's ingest that has not committed yet.
  files_.AddLanded(kName, std::chrono::seconds(1));
  reader_.headers[files_.LandingPathOf(kName)] = GoodHeader();
  auto pass = settler_.SettleOnce(false);
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->waiting, 1);
  EXPECT_TRUE(studies_.instances.empty());
  EXPECT_EQ(files_.landing.size(), 1u);
}

TEST_F(LandingSettlerTest, OldFileWithoutRowIsIndexedByThePeriodicPass) {
  files_.AddLanded(kName, std::chrono::seconds(31));
  reader_.headers[files_.LandingPathOf(kName)] = GoodHeader();
  auto pass = settler_.SettleOnce(false);
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->reindexed, 1);
  EXPECT_TRUE(files_.landing.empty());
}

TEST_F(LandingSettlerTest, UnreadableFileIsSetAsideAndReported) {
  files_.AddLanded(kName, std::chrono::seconds(60));  // the reader has no header for it
  files_.AddLanded("notes.txt", std::chrono::seconds(60));
  auto pass = settler_.SettleOnce(true);
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->orphaned, 2);
  EXPECT_EQ(files_.orphans, (std::set<std::string>{kName, "notes.txt"}));
  EXPECT_TRUE(files_.landing.empty());
  EXPECT_TRUE(studies_.instances.empty());
  ASSERT_EQ(reports_.size(), 1u);
  EXPECT_EQ(reports_[0].orphaned, 2);
}

TEST_F(LandingSettlerTest, FileOfAnUnknownFacilityIsSetAside) {
  const std::string name = "99_1.2.3.4_1.2.3.4.5_1.2.3.4.5.6.dcm";
  files_.AddLanded(name, std::chrono::seconds(60));
  reader_.headers[files_.LandingPathOf(name)] = GoodHeader();
  EXPECT_EQ(settler_.SettleOnce(true)->orphaned, 1);
  EXPECT_TRUE(studies_.instances.empty());
}

TEST_F(LandingSettlerTest, NameThatLiesAboutItsHeaderIsSetAside) {
  files_.AddLanded(kName, std::chrono::seconds(60));
  InstanceHeader other = GoodHeader();
  other.sop_instance_uid = "1.2.3.4.5.7";
  reader_.headers[files_.LandingPathOf(kName)] = other;
  EXPECT_EQ(settler_.SettleOnce(true)->orphaned, 1);
  EXPECT_TRUE(studies_.instances.empty());
}

TEST_F(LandingSettlerTest, CopyNamedByNoRowIsRemoved) {
  // Two attempts at one instance landed two files; the row names the first.
  ASSERT_TRUE(ingest_.Ingest(sender_, GoodHeader(), Staged(), 100).ok());
  const std::string loser = "7_1.2.3.4_1.2.3.4.5_1.2.3.4.5.6-1-9.dcm";
  files_.AddLanded(loser, std::chrono::seconds(60));
  auto pass = settler_.SettleOnce(false);
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->settled, 1);
  EXPECT_EQ(pass->removed, 1);
  EXPECT_EQ(files_.removed.count("1.2.3.4/1.2.3.4.5/1.2.3.4.5.6-1-9.dcm"), 1u);
  EXPECT_TRUE(files_.landing.empty());
}

TEST_F(LandingSettlerTest, DatabaseDownLeavesEveryFileLanded) {
  ASSERT_TRUE(ingest_.Ingest(sender_, GoodHeader(), Staged(), 100).ok());
  studies_.outage = true;
  EXPECT_EQ(settler_.SettleOnce(true).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(files_.landing.size(), 1u);
  EXPECT_TRUE(files_.orphans.empty());
  studies_.outage = false;
  EXPECT_EQ(settler_.SettleOnce(true)->settled, 1);
}

TEST_F(LandingSettlerTest, FileOfAnIngestInFlightIsLeftToIt) {
  // The settler passes while the index transaction runs: that Ingest decides.
  class SettleDuringIndex : public FakeStudyRepository {
   public:
    Result<IndexOutcome> IndexInstance(const InstanceRecord& r,
                                       const MakeFileDurable& make_durable) override {
      Result<std::string> key = make_durable();
      if (during) during();
      return FakeStudyRepository::IndexInstance(r, [&] { return key; });
    }
    std::function<void()> during;
  } studies;
  IngestService ingest(studies, facilities_, files_);
  LandingSettler settler(files_, studies, facilities_, ingest, reader_, SystemClock::Instance(), {},
                         nullptr);
  reader_.headers[files_.LandingPathOf(kName)] = GoodHeader();
  Result<SettleReport> during = Status::Internal("not run");
  studies.during = [&] { during = settler.SettleOnce(true); };
  ASSERT_TRUE(ingest.Ingest(sender_, GoodHeader(), Staged(), 100).ok());
  ASSERT_TRUE(during.ok());
  EXPECT_EQ(during->waiting, 1);
  EXPECT_EQ(during->reindexed, 0);
  EXPECT_EQ(settler.SettleOnce(false)->settled, 1);
  EXPECT_EQ(studies.studies["1.2.3.4"].num_instances, 1);
}

}  // namespace
}  // namespace telerad
