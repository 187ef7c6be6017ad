// The StudyRepository contract (src/index/study_repository.h), part 1: indexing
// (idempotence, conflicts, the durable key, all or nothing), lookups and the promotion of
// quiet studies. Parts 2 and 3: study_worklist_contract.h, study_claim_contract.h.
// Instantiate with an environment (contract_env.h):
//   INSTANTIATE_TYPED_TEST_SUITE_P(FakeStudyIndex, StudyIndexContract, FakeEnv);
#pragma once

#include <string>
#include <vector>

#include "tests/contract/contract_env.h"
#include "tests/test_audit.h"

namespace telerad::contract {

template <typename Env>
class StudyIndexContract : public RepositoryContract<Env> {};
TYPED_TEST_SUITE_P(StudyIndexContract);

TYPED_TEST_P(StudyIndexContract, IndexingCreatesAReceivingStudyWithCountersAndSeries) {
  InstanceRecord first = this->Record("1.1", "1", "1");
  first.header.patient_birth_date = "19991399";  // not a date: read back empty, not an error
  first.header.study_date = "20240229";
  first.header.series_number = 2;
  const int64_t id = this->Index(first);
  InstanceRecord second = this->Record("1.1", "1", "2");
  second.header.series_number = 2;
  this->Index(second);
  InstanceRecord xray = this->Record("1.1", "2", "1", "CR");
  xray.header.series_number = 1;
  this->Index(xray);
  this->Index(this->Record("1.1", "3", "1", "OT"));  // no series number: read last

  const Study s = this->Find("1.1");
  EXPECT_EQ(s.id, id);
  EXPECT_EQ(s.status, StudyStatus::kReceiving);
  EXPECT_EQ(s.priority, Priority::kRoutine);
  EXPECT_EQ(s.num_instances, 4);
  EXPECT_EQ(s.num_series, 3);
  EXPECT_EQ(s.size_bytes, 4000u);
  EXPECT_EQ(s.modality_class, ModalityClass::kCt);  // CT wins over X-ray
  EXPECT_EQ(s.modalities, (std::vector<std::string>{"CT", "CR", "OT"}));
  EXPECT_EQ(s.patient.birth_date, "");
  EXPECT_EQ(s.study_date, "2024-02-29");
  EXPECT_EQ(s.facility.id, this->facility_.id);
  EXPECT_EQ(s.facility.code, "A");
  EXPECT_EQ(s.facility.aimag, "Увс");
  EXPECT_FALSE(s.ready_at || s.sla_due_at || s.claimed_by || s.report_status);
  ASSERT_EQ(s.series.size(), 3u);
  EXPECT_EQ(s.series[0].series_uid, "1.1.2");
  EXPECT_EQ(s.series[1].series_uid, "1.1.1");
  EXPECT_EQ(s.series[1].num_instances, 2);
  EXPECT_EQ(s.series[2].series_uid, "1.1.3");
}

TYPED_TEST_P(StudyIndexContract, RepeatedInstanceChangesNothing) {
  const InstanceRecord r = this->Record("1.2");
  auto first = this->studies().IndexInstance(r, [] { return Result<std::string>("k1"); });
  auto again = this->studies().IndexInstance(r, [] { return Result<std::string>("k2"); });
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_TRUE(first->new_instance);
  EXPECT_FALSE(again->new_instance);
  EXPECT_EQ(again->study_id, first->study_id);
  EXPECT_EQ(this->Find("1.2").num_instances, 1);
  EXPECT_EQ(this->Find("1.2").size_bytes, 1000u);
  auto stored = this->studies().FindInstance("1.2.1.1");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->facility_id, this->facility_.id);
  EXPECT_EQ((*stored)->study_uid, "1.2");
  EXPECT_EQ((*stored)->series_uid, "1.2.1");
  EXPECT_EQ((*stored)->storage_key, "k1");  // the first file's key, as made durable
}

TYPED_TEST_P(StudyIndexContract, UnknownUidsAreAbsentNotErrors) {
  auto instance = this->studies().FindInstance("9.9.9");
  ASSERT_TRUE(instance.ok());
  EXPECT_FALSE(instance->has_value());
  auto study = this->studies().FindStudy("9.9");
  ASSERT_TRUE(study.ok());
  EXPECT_FALSE(study->has_value());
  EXPECT_EQ(this->studies().SetStorageKey("9.9.9", "x").code(), StatusCode::kNotFound);
}

TYPED_TEST_P(StudyIndexContract, FailureToMakeTheFileDurableLeavesNoRow) {
  auto r = this->studies().IndexInstance(this->Record("1.3"), []() -> Result<std::string> {
    return Status::ResourceExhausted("disk full");
  });
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_FALSE(this->studies().FindInstance("1.3.1.1")->has_value());
  EXPECT_FALSE(this->studies().FindStudy("1.3")->has_value());
}

TYPED_TEST_P(StudyIndexContract, SetStorageKeyRepointsAnInstance) {
  this->Index(this->Record("1.4"));
  ASSERT_TRUE(this->studies().SetStorageKey("1.4.1.1", "1.4/restored.dcm").ok());
  EXPECT_EQ((*this->studies().FindInstance("1.4.1.1"))->storage_key, "1.4/restored.dcm");
}

TYPED_TEST_P(StudyIndexContract, StudyOfAnotherFacilityIsAConflict) {
  this->Index(this->Record("1.5", "1", "1"));
  InstanceRecord foreign = this->Record("1.5", "1", "2");
  foreign.facility_id = this->other_.id;
  int durable_calls = 0;
  auto r = this->studies().IndexInstance(foreign, [&] {
    ++durable_calls;
    return Result<std::string>(foreign.storage_key);
  });
  EXPECT_EQ(r.status().code(), StatusCode::kConflict);
  EXPECT_EQ(durable_calls, 0);  // refused before the file is placed
  EXPECT_EQ(this->Find("1.5").num_instances, 1);
  EXPECT_FALSE(this->studies().FindInstance("1.5.1.2")->has_value());
}

TYPED_TEST_P(StudyIndexContract, SeriesOfAnotherStudyIsAConflict) {
  this->Index(this->Record("1.6"));
  InstanceRecord clash = this->Record("1.7");
  clash.header.series_uid = "1.6.1";
  EXPECT_EQ(this->studies()
                .IndexInstance(clash, [&] { return Result<std::string>(clash.storage_key); })
                .status()
                .code(),
            StatusCode::kConflict);
  EXPECT_FALSE(this->studies().FindStudy("1.7")->has_value());
}

TYPED_TEST_P(StudyIndexContract, InstanceUidUnderAnotherStudyOrSeriesIsAConflict) {
  // The unique SOP Instance UID is the arbiter inside the index transaction: a second
  // sender that read "absent" before the first committed must still be refused, and
  // the study and series its attempt created must not outlive the refusal.
  const InstanceRecord first = this->Record("1.8");
  this->Index(first);
  InstanceRecord foreign = this->Record("1.9");
  foreign.facility_id = this->other_.id;
  foreign.header.sop_instance_uid = first.header.sop_instance_uid;
  InstanceRecord other_series = this->Record("1.8", "2");
  other_series.header.sop_instance_uid = first.header.sop_instance_uid;
  for (const InstanceRecord& clash : {foreign, other_series}) {
    int durable_calls = 0;
    auto r = this->studies().IndexInstance(clash, [&] {
      ++durable_calls;
      return Result<std::string>(clash.storage_key);
    });
    EXPECT_EQ(r.status().code(), StatusCode::kConflict) << clash.header.series_uid;
    EXPECT_EQ(durable_calls, 0);
  }
  EXPECT_FALSE(this->studies().FindStudy("1.9")->has_value());
  const Study s = this->Find("1.8");
  EXPECT_EQ(s.num_instances, 1);
  ASSERT_EQ(s.series.size(), 1u);
  auto stored = this->studies().FindInstance(first.header.sop_instance_uid);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->study_uid, "1.8");
  EXPECT_EQ((*stored)->storage_key, first.storage_key);
}

TYPED_TEST_P(StudyIndexContract, OnlyQuietStudiesBecomeReadyWithTheirDeadline) {
  this->Index(this->Record("2.1"));
  EXPECT_EQ(*this->studies().PromoteStableStudies(hours(1), SlaTargets{}), 0);
  EXPECT_EQ(this->Find("2.1").status, StudyStatus::kReceiving);
  EXPECT_EQ(*this->studies().PromoteStableStudies(seconds(0), SlaTargets{}), 1);
  const Study s = this->Find("2.1");
  EXPECT_EQ(s.status, StudyStatus::kReady);
  ASSERT_TRUE(s.ready_at && s.sla_due_at);
  EXPECT_EQ(*s.sla_due_at - *s.ready_at, SlaTargets{}.routine);
  EXPECT_EQ(*this->studies().PromoteStableStudies(seconds(0), SlaTargets{}), 0);
  // A late instance is counted but does not pull the study out of the worklist.
  this->Index(this->Record("2.1", "1", "2"));
  EXPECT_EQ(this->Find("2.1").status, StudyStatus::kReady);
  EXPECT_EQ(this->Find("2.1").num_instances, 2);
}

TYPED_TEST_P(StudyIndexContract, PromotionTakesTheDeadlineOfThePriority) {
  this->Index(this->Record("2.2"));
  ASSERT_TRUE(
      *this->studies().UpdateOrder("2.2", Priority::kStat, std::nullopt, SlaTargets{}, Audit()));
  EXPECT_FALSE(this->Find("2.2").sla_due_at.has_value());  // receiving: no deadline yet
  SlaTargets sla;
  sla.stat = seconds(600);
  ASSERT_EQ(*this->studies().PromoteStableStudies(seconds(0), sla), 1);
  const Study s = this->Find("2.2");
  EXPECT_EQ(s.priority, Priority::kStat);
  EXPECT_EQ(*s.sla_due_at - *s.ready_at, seconds(600));
}

TYPED_TEST_P(StudyIndexContract, FindInstancesReturnsTheIndexedOnesOfABatch) {
  this->Index(this->Record("1.8", "1", "1"));
  this->Index(this->Record("1.8", "2", "1"));
  auto found = this->studies().FindInstances({"1.8.1.1", "9.9.9", "1.8.2.1"});
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ(found->at("1.8.2.1").series_uid, "1.8.2");
  EXPECT_EQ(found->at("1.8.1.1").study_uid, "1.8");
  EXPECT_EQ(found->at("1.8.1.1").facility_id, this->facility_.id);
  EXPECT_EQ(found->at("1.8.1.1").storage_key,
            (*this->studies().FindInstance("1.8.1.1"))->storage_key);
  EXPECT_TRUE(this->studies().FindInstances({})->empty());
  EXPECT_TRUE(this->studies().MakeCommitsDurable().ok());
}

TYPED_TEST_P(StudyIndexContract, PingAnswers) { EXPECT_TRUE(this->studies().Ping().ok()); }

REGISTER_TYPED_TEST_SUITE_P(StudyIndexContract, IndexingCreatesAReceivingStudyWithCountersAndSeries,
                            RepeatedInstanceChangesNothing, UnknownUidsAreAbsentNotErrors,
                            FailureToMakeTheFileDurableLeavesNoRow, SetStorageKeyRepointsAnInstance,
                            StudyOfAnotherFacilityIsAConflict, SeriesOfAnotherStudyIsAConflict,
                            InstanceUidUnderAnotherStudyOrSeriesIsAConflict,
                            OnlyQuietStudiesBecomeReadyWithTheirDeadline,
                            PromotionTakesTheDeadlineOfThePriority,
                            FindInstancesReturnsTheIndexedOnesOfABatch, PingAnswers);

}  // namespace telerad::contract
