#include "src/ingest/ingest_service.h"

#include <gtest/gtest.h>

#include "tests/unit/fakes.h"

namespace telerad {
namespace {

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

class IngestServiceTest : public ::testing::Test {
 protected:
  IngestServiceTest() : ingest_(studies_, facilities_, files_) {
    sender_.id = 7;
    sender_.ae_title = "DEMO_SCU";
    facilities_.by_ae["DEMO_SCU"] = sender_;
  }
  StagedFile Staged() { return files_.Stage().value(); }
  FakeStudyRepository studies_;
  FakeFacilityRepository facilities_;
  FakeFileStore files_;
  IngestService ingest_;
  Facility sender_;
};

TEST_F(IngestServiceTest, StoresFileThenIndexesIt) {
  auto r = ingest_.Ingest(sender_, GoodHeader(), Staged(), 100);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->duplicate);
  EXPECT_EQ(files_.committed.count("1.2.3.4/1.2.3.4.5/1.2.3.4.5.6.dcm"), 1u);
  ASSERT_EQ(studies_.instances.size(), 1u);
  const InstanceRecord& rec = studies_.instances.begin()->second;
  EXPECT_EQ(rec.facility_id, 7);
  EXPECT_EQ(rec.modality_class, ModalityClass::kCt);
  EXPECT_EQ(rec.size_bytes, 100u);
  EXPECT_TRUE(files_.staging.empty());
  EXPECT_TRUE(files_.discarded.empty());
}

TEST_F(IngestServiceTest, MalformedUidsAreRefusedAndTheStagedFileDiscarded) {
  for (auto mutate : std::vector<void (*)(InstanceHeader&)>{
           [](InstanceHeader& h) { h.sop_instance_uid = ""; },
           [](InstanceHeader& h) { h.study_uid = "1.2/../../etc"; },
           [](InstanceHeader& h) { h.series_uid = "1." + std::string(70, '2'); },
           [](InstanceHeader& h) { h.sop_class_uid = "1.2.abc"; }}) {
    InstanceHeader h = GoodHeader();
    mutate(h);
    auto r = ingest_.Ingest(sender_, h, Staged(), 1);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(files_.discarded.size(), 4u);
  EXPECT_TRUE(files_.staging.empty());
  EXPECT_TRUE(files_.committed.empty());
  EXPECT_TRUE(studies_.instances.empty());
}

TEST_F(IngestServiceTest, FailedPlacementIndexesNothingAndLeavesNoStagedFile) {
  files_.fail_commit = true;
  auto r = ingest_.Ingest(sender_, GoodHeader(), Staged(), 100);
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(studies_.instances.empty());
  EXPECT_TRUE(files_.staging.empty());
  EXPECT_EQ(files_.discarded.size(), 1u);
}

TEST_F(IngestServiceTest, IndexOutageBeforePlacementDiscardsTheStagedFile) {
  studies_.outage = true;
  auto r = ingest_.Ingest(sender_, GoodHeader(), Staged(), 100);
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(files_.committed.empty());
  EXPECT_TRUE(files_.staging.empty());
  EXPECT_EQ(files_.discarded.size(), 1u);
}

TEST_F(IngestServiceTest, DatabaseOutageLeavesNoPlacedFile) {
  // The outage starts after the duplicate check: the file gets placed, the index fails.
  class OutageAtIndex : public FakeStudyRepository {
   public:
    Result<IndexOutcome> IndexInstance(const InstanceRecord&,
                                       const MakeFileDurable& make_durable) override {
      (void)make_durable();
      return Status::Unavailable("fake outage");
    }
  } studies;
  IngestService ingest(studies, facilities_, files_);
  auto r = ingest.Ingest(sender_, GoodHeader(), Staged(), 100);
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(files_.committed.empty());
  EXPECT_EQ(files_.removed.size(), 1u);
}

TEST_F(IngestServiceTest, FileIsKeptWhenTheCommitOutcomeIsUnknown) {
  // The commit may have happened (connection lost during COMMIT) and the database cannot
  // be asked: the file must stay, or an acknowledged instance could lose its file.
  class LostCommit : public FakeStudyRepository {
   public:
    Result<IndexOutcome> IndexInstance(const InstanceRecord&,
                                       const MakeFileDurable& make_durable) override {
      (void)make_durable();
      outage = true;
      return Status::Unavailable("connection lost during commit");
    }
  } studies;
  IngestService ingest(studies, facilities_, files_);
  EXPECT_FALSE(ingest.Ingest(sender_, GoodHeader(), Staged(), 100).ok());
  EXPECT_EQ(files_.committed.size(), 1u);
  EXPECT_TRUE(files_.removed.empty());
}

TEST_F(IngestServiceTest, LosingAConcurrentDuplicateRemovesOnlyItsOwnFile) {
  class OtherAttemptWon : public FakeStudyRepository {
   public:
    Result<IndexOutcome> IndexInstance(const InstanceRecord&,
                                       const MakeFileDurable& make_durable) override {
      (void)make_durable();
      return IndexOutcome{1, false};
    }
  } studies;
  files_.committed.insert("1.2.3.4/1.2.3.4.5/1.2.3.4.5.6.dcm");  // the winner's file
  IngestService ingest(studies, facilities_, files_);
  auto r = ingest.Ingest(sender_, GoodHeader(), Staged(), 100);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->duplicate);
  EXPECT_EQ(files_.committed.count("1.2.3.4/1.2.3.4.5/1.2.3.4.5.6.dcm"), 1u);
  EXPECT_EQ(files_.removed.size(), 1u);
  EXPECT_EQ(files_.removed.count("1.2.3.4/1.2.3.4.5/1.2.3.4.5.6.dcm"), 0u);
}

TEST_F(IngestServiceTest, SameSopInstanceUidInAnotherStudyIsAConflict) {
  ASSERT_TRUE(ingest_.Ingest(sender_, GoodHeader(), Staged(), 100).ok());
  InstanceHeader clash = GoodHeader();
  clash.study_uid = "1.2.3.9";
  clash.series_uid = "1.2.3.9.1";
  EXPECT_EQ(ingest_.Ingest(sender_, clash, Staged(), 100).status().code(), StatusCode::kConflict);
  Facility other = sender_;
  other.id = 8;
  EXPECT_EQ(ingest_.Ingest(other, GoodHeader(), Staged(), 100).status().code(),
            StatusCode::kConflict);
  EXPECT_EQ(files_.discarded.size(), 2u);  // the second and third attempts' files
  EXPECT_TRUE(files_.staging.empty());
}

TEST_F(IngestServiceTest, AnotherStudyIndexedAfterTheCheckIsStillAConflict) {
  // Two senders race on one SOP Instance UID: both read "absent", the other commits
  // first. The index transaction must refuse the loser, not call it a repeat, and only
  // the loser's file may go.
  class CheckedTooEarly : public FakeStudyRepository {
   public:
    Result<std::optional<StoredInstance>> FindInstance(const std::string& sop) override {
      if (first_check_) {
        first_check_ = false;
        return std::optional<StoredInstance>();
      }
      return FakeStudyRepository::FindInstance(sop);
    }
    bool first_check_ = false;
  } studies;
  IngestService ingest(studies, facilities_, files_);
  Facility other = sender_;
  other.id = 8;
  ASSERT_TRUE(ingest.Ingest(other, GoodHeader(), Staged(), 100).ok());
  const std::string winner = studies.instances.begin()->second.storage_key;
  InstanceHeader clash = GoodHeader();
  clash.study_uid = "1.2.3.9";
  clash.series_uid = "1.2.3.9.1";
  studies.first_check_ = true;
  auto r = ingest.Ingest(sender_, clash, Staged(), 100);
  EXPECT_EQ(r.status().code(), StatusCode::kConflict);
  EXPECT_TRUE(files_.Exists(winner));
  EXPECT_EQ(files_.committed.size(), 1u);
  EXPECT_EQ(files_.removed.size(), 1u);  // the loser's placed file
  EXPECT_FALSE(studies.FindStudy("1.2.3.9")->has_value());
  EXPECT_TRUE(files_.staging.empty());
}

TEST_F(IngestServiceTest, RepeatRestoresALostFile) {
  ASSERT_TRUE(ingest_.Ingest(sender_, GoodHeader(), Staged(), 100).ok());
  files_.committed.clear();  // the file vanished from the store
  auto r = ingest_.Ingest(sender_, GoodHeader(), Staged(), 100);
  ASSERT_TRUE(r.ok());
  const std::string key = studies_.instances.begin()->second.storage_key;
  EXPECT_TRUE(files_.Exists(key));
  EXPECT_EQ(studies_.instances.size(), 1u);
  EXPECT_TRUE(files_.staging.empty());
  EXPECT_TRUE(files_.discarded.empty());
}

TEST_F(IngestServiceTest, RepeatedInstanceIsIdempotent) {
  ASSERT_TRUE(ingest_.Ingest(sender_, GoodHeader(), Staged(), 100).ok());
  auto again = ingest_.Ingest(sender_, GoodHeader(), Staged(), 100);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(files_.discarded.count("staged-1"), 1u);  // the repeat's file, not the first's
  EXPECT_TRUE(files_.staging.empty());
  EXPECT_EQ(studies_.instances.size(), 1u);
}

TEST_F(IngestServiceTest, UnknownOrInactiveSenderIsDenied) {
  EXPECT_EQ(ingest_.AdmitSender("NOBODY").status().code(), StatusCode::kPermissionDenied);
  Facility inactive = sender_;
  inactive.ae_title = "OLD_SCU";
  inactive.active = false;
  facilities_.by_ae["OLD_SCU"] = inactive;
  EXPECT_EQ(ingest_.AdmitSender("OLD_SCU").status().code(), StatusCode::kPermissionDenied);
}

TEST_F(IngestServiceTest, KnownSenderIsAdmittedDuringOutageButStrangersAreNot) {
  ASSERT_TRUE(ingest_.AdmitSender("DEMO_SCU").ok());
  facilities_.outage = true;
  EXPECT_TRUE(ingest_.AdmitSender("DEMO_SCU").ok());
  EXPECT_EQ(ingest_.AdmitSender("NOBODY").status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace telerad
