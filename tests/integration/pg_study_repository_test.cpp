// The study index on a real PostgreSQL: the receiving -> ready state machine, counters,
// idempotence, rollback when the file could not be made durable, and worklist order.
#include "src/pg/pg_study_repository.h"

#include <gtest/gtest.h>

#include <thread>

#include "src/pg/pg_facility_repository.h"
#include "src/pg/pg_migrator.h"
#include "src/pg/pg_pool.h"
#include "tests/integration/harness.h"

namespace telerad {
namespace {

class PgStudyRepositoryTest : public ::testing::Test {
 protected:
  PgStudyRepositoryTest() : pool_(db_.url(), 4, 5000), studies_(pool_), facilities_(pool_) {}
  void SetUp() override {
    ASSERT_TRUE(PgMigrator(pool_, testing::SchemaDir()).Apply().ok());
    Facility f;
    f.code = "A";
    f.name = "A";
    f.aimag = "Увс";
    f.ae_title = "A_SCU";
    facility_ = *facilities_.Upsert(f);
    f.code = "B";
    f.ae_title = "B_SCU";
    other_ = *facilities_.Upsert(f);
  }
  InstanceRecord Record(const std::string& study, const std::string& series, const std::string& sop,
                        const std::string& modality = "CT") {
    InstanceRecord r;
    r.facility_id = facility_.id;
    r.header.study_uid = study;
    r.header.series_uid = series;
    r.header.sop_instance_uid = sop;
    r.header.sop_class_uid = "1.2.840.10008.5.1.4.1.1.2";
    r.header.transfer_syntax_uid = "1.2.840.10008.1.2.1";
    r.header.modality = modality;
    r.header.patient_birth_date = "19991399";  // not a date: stored as NULL, not an error
    r.modality_class = ClassifyModality(modality);
    r.storage_key = study + "/" + series + "/" + sop + ".dcm";
    r.size_bytes = 1000;
    return r;
  }
  // A make-durable step that keeps the planned key (the file store had no clash).
  static Result<std::string> Durable(const InstanceRecord& r) { return r.storage_key; }
  Result<IndexOutcome> Index(const InstanceRecord& r) {
    return studies_.IndexInstance(r, [&r] { return Durable(r); });
  }

  testing::TestDatabase db_;
  PgPool pool_;
  PgStudyRepository studies_;
  PgFacilityRepository facilities_;
  Facility facility_, other_;
};

TEST_F(PgStudyRepositoryTest, IndexingCreatesAReceivingStudyWithCounters) {
  ASSERT_TRUE(Index(Record("1.1", "1.1.1", "1.1.1.1")).ok());
  ASSERT_TRUE(Index(Record("1.1", "1.1.1", "1.1.1.2")).ok());
  ASSERT_TRUE(Index(Record("1.1", "1.1.2", "1.1.2.1", "CR")).ok());
  auto study = studies_.FindStudy("1.1");
  ASSERT_TRUE(study.ok() && study->has_value());
  const Study& s = **study;
  EXPECT_EQ(s.status, StudyStatus::kReceiving);
  EXPECT_EQ(s.num_instances, 3);
  EXPECT_EQ(s.num_series, 2);
  EXPECT_EQ(s.size_bytes, 3000u);
  EXPECT_EQ(s.modality_class, ModalityClass::kCt);  // CT wins over X-ray
  EXPECT_EQ(s.modalities, (std::vector<std::string>{"CT", "CR"}));
  EXPECT_EQ(s.patient.birth_date, "");
  ASSERT_EQ(s.series.size(), 2u);
}

TEST_F(PgStudyRepositoryTest, RepeatedInstanceIsIdempotent) {
  auto first = Index(Record("1.2", "1.2.1", "1.2.1.1"));
  auto again = Index(Record("1.2", "1.2.1", "1.2.1.1"));
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_TRUE(first->new_instance);
  EXPECT_FALSE(again->new_instance);
  EXPECT_EQ((*studies_.FindStudy("1.2"))->num_instances, 1);
  auto stored = studies_.FindInstance("1.2.1.1");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->study_uid, "1.2");
  EXPECT_EQ((*stored)->storage_key, "1.2/1.2.1/1.2.1.1.dcm");
}

TEST_F(PgStudyRepositoryTest, FailureBeforeCommitLeavesNoRow) {
  auto r = studies_.IndexInstance(Record("1.3", "1.3.1", "1.3.1.1"), []() -> Result<std::string> {
    return Status::ResourceExhausted("disk full");
  });
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_FALSE(studies_.FindInstance("1.3.1.1")->has_value());
  EXPECT_FALSE(studies_.FindStudy("1.3")->has_value());
}

TEST_F(PgStudyRepositoryTest, TheKeyTheFileFinallyGotIsWhatTheRowNames) {
  InstanceRecord r = Record("1.7", "1.7.1", "1.7.1.1");
  ASSERT_TRUE(
      studies_.IndexInstance(r, [] { return Result<std::string>("1.7/1.7.1/1.7.1.1-9-1.dcm"); })
          .ok());
  EXPECT_EQ((*studies_.FindInstance("1.7.1.1"))->storage_key, "1.7/1.7.1/1.7.1.1-9-1.dcm");
  ASSERT_TRUE(studies_.SetStorageKey("1.7.1.1", "1.7/1.7.1/1.7.1.1.dcm").ok());
  EXPECT_EQ((*studies_.FindInstance("1.7.1.1"))->storage_key, "1.7/1.7.1/1.7.1.1.dcm");
  EXPECT_EQ(studies_.SetStorageKey("9.9", "x").code(), StatusCode::kNotFound);
}

TEST_F(PgStudyRepositoryTest, StudyOfAnotherFacilityIsAConflict) {
  ASSERT_TRUE(Index(Record("1.4", "1.4.1", "1.4.1.1")).ok());
  InstanceRecord foreign = Record("1.4", "1.4.1", "1.4.1.2");
  foreign.facility_id = other_.id;
  EXPECT_EQ(Index(foreign).status().code(), StatusCode::kConflict);
  EXPECT_EQ((*studies_.FindStudy("1.4"))->num_instances, 1);
}

TEST_F(PgStudyRepositoryTest, QuietStudiesBecomeReadyWithTheirSlaDeadline) {
  ASSERT_TRUE(Index(Record("1.5", "1.5.1", "1.5.1.1")).ok());
  EXPECT_EQ(*studies_.PromoteStableStudies(std::chrono::seconds(60), SlaTargets{}), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(*studies_.PromoteStableStudies(std::chrono::seconds(1), SlaTargets{}), 1);
  const Study s = **studies_.FindStudy("1.5");
  EXPECT_EQ(s.status, StudyStatus::kReady);
  ASSERT_TRUE(s.ready_at && s.sla_due_at);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::hours>(*s.sla_due_at - *s.ready_at).count(),
            24);
  // A late instance is counted but does not pull the study out of the worklist.
  ASSERT_TRUE(Index(Record("1.5", "1.5.1", "1.5.1.2")).ok());
  EXPECT_EQ((*studies_.FindStudy("1.5"))->status, StudyStatus::kReady);
  EXPECT_EQ(*studies_.PromoteStableStudies(std::chrono::seconds(1), SlaTargets{}), 0);
}

TEST_F(PgStudyRepositoryTest, WorklistPagesInPriorityThenDeadlineOrder) {
  for (int i = 0; i < 5; ++i) {
    const std::string uid = "1.6." + std::to_string(i + 1);
    ASSERT_TRUE(Index(Record(uid, uid + ".1", uid + ".1.1")).ok());
  }
  db_.Scalar("UPDATE study SET priority = 0 WHERE study_uid = '1.6.4'");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_EQ(*studies_.PromoteStableStudies(std::chrono::seconds(1), SlaTargets{}), 5);
  StudyQuery q;
  q.status = StudyStatus::kReady;
  q.limit = 2;
  std::vector<std::string> order;
  for (int page = 0; page < 5; ++page) {
    auto result = studies_.ListStudies(q);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    for (const auto& s : result->items) order.push_back(s.study_uid);
    if (!result->next_cursor) break;
    q.cursor = result->next_cursor;
  }
  ASSERT_EQ(order.size(), 5u);
  EXPECT_EQ(order[0], "1.6.4");  // STAT first
  q.cursor = "1.2.x";
  EXPECT_EQ(studies_.ListStudies(q).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(PgStudyRepositoryTest, AimagFilterMatchesTheFacilitysAimag) {
  Facility hovd;
  hovd.code = "C";
  hovd.name = "C";
  hovd.aimag = "Ховд";
  hovd.ae_title = "C_SCU";
  hovd = *facilities_.Upsert(hovd);
  for (int i = 1; i <= 3; ++i) {
    const std::string uid = "1.8." + std::to_string(i);
    InstanceRecord r = Record(uid, uid + ".1", uid + ".1.1");
    if (i == 3) r.facility_id = hovd.id;
    ASSERT_TRUE(Index(r).ok());
  }
  StudyQuery q;
  q.status = StudyStatus::kReceiving;
  q.aimag = "Ховд";
  auto hovd_page = studies_.ListStudies(q);
  ASSERT_TRUE(hovd_page.ok()) << hovd_page.status().ToString();
  ASSERT_EQ(hovd_page->items.size(), 1u);
  EXPECT_EQ(hovd_page->items[0].study_uid, "1.8.3");
  EXPECT_EQ(hovd_page->items[0].facility.aimag, "Ховд");
  q.aimag = "Увс";
  EXPECT_EQ(studies_.ListStudies(q)->items.size(), 2u);
  q.aimag = "Увс";
  q.facility_code = "C";  // filters combine: Увс and facility C is nothing
  EXPECT_TRUE(studies_.ListStudies(q)->items.empty());
  q.facility_code.reset();
  q.aimag = "Дорнод";
  EXPECT_TRUE(studies_.ListStudies(q)->items.empty());
}

// A facility's inbox: unacknowledged critical findings first, then stat, urgent, routine,
// each by deadline, studies without one (still receiving) last; the cursor pages across
// the boundary between the two groups whatever the page size.
TEST_F(PgStudyRepositoryTest, InboxPutsCriticalFindingsFirstAndPagesAcrossThem) {
  for (int i = 1; i <= 6; ++i) {
    const std::string uid = "1.9." + std::to_string(i);
    ASSERT_TRUE(Index(Record(uid, uid + ".1", uid + ".1.1")).ok());
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_EQ(*studies_.PromoteStableStudies(std::chrono::seconds(1), SlaTargets{}), 6);
  ASSERT_TRUE(Index(Record("1.9.7", "1.9.7.1", "1.9.7.1.1")).ok());  // receiving: no deadline
  InstanceRecord foreign = Record("1.9.8", "1.9.8.1", "1.9.8.1.1");
  foreign.facility_id = other_.id;
  ASSERT_TRUE(Index(foreign).ok());
  db_.Scalar("UPDATE study SET priority = 0 WHERE study_uid = '1.9.2'");
  db_.Scalar("UPDATE study SET priority = 1 WHERE study_uid IN ('1.9.4', '1.9.5')");
  db_.Scalar(
      "UPDATE study SET status = 'reported', reported_at = now(), critical_pending = true"
      " WHERE study_uid IN ('1.9.3', '1.9.4')");
  db_.Scalar("UPDATE study SET sla_due_at = now() + interval '5 hours' WHERE study_uid = '1.9.1'");
  db_.Scalar("UPDATE study SET sla_due_at = now() + interval '2 hours' WHERE study_uid = '1.9.6'");
  db_.Scalar("UPDATE study SET critical_pending = true WHERE study_uid = '1.9.8'");  // not ours

  const std::vector<std::string> expected = {"1.9.4", "1.9.3", "1.9.2", "1.9.5",
                                             "1.9.6", "1.9.1", "1.9.7"};
  for (int limit = 1; limit <= 4; ++limit) {
    StudyQuery q;
    q.facility_id = facility_.id;
    q.limit = limit;
    std::vector<std::string> order;
    for (int page = 0; page < 10; ++page) {
      auto result = studies_.ListStudies(q);
      ASSERT_TRUE(result.ok()) << result.status().ToString();
      for (const auto& s : result->items) order.push_back(s.study_uid);
      if (!result->next_cursor) break;
      q.cursor = result->next_cursor;
    }
    EXPECT_EQ(order, expected) << "limit " << limit;
  }

  // The radiologists' worklist ignores the flag, and the two orders' cursors do not mix.
  StudyQuery worklist;
  worklist.limit = 1;
  auto first = studies_.ListStudies(worklist);
  ASSERT_TRUE(first.ok() && first->next_cursor);
  EXPECT_EQ(first->items[0].study_uid, "1.9.2");  // stat, not the critical urgent one
  StudyQuery inbox;
  inbox.facility_id = facility_.id;
  inbox.cursor = first->next_cursor;
  EXPECT_EQ(studies_.ListStudies(inbox).status().code(), StatusCode::kInvalidArgument);
  inbox.cursor.reset();
  inbox.limit = 1;
  worklist.cursor = studies_.ListStudies(inbox)->next_cursor;
  ASSERT_TRUE(worklist.cursor.has_value());
  EXPECT_EQ(studies_.ListStudies(worklist).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace telerad
