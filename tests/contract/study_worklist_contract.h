// The StudyRepository contract (src/index/study_repository.h), part 2: ListStudies, the
// worklist and facility inbox orders, paging with cursors, and the filters.
// Instantiate with an environment (contract_env.h):
//   INSTANTIATE_TYPED_TEST_SUITE_P(FakeStudyWorklist, StudyWorklistContract, FakeEnv);
#pragma once

#include <string>
#include <vector>

#include "tests/contract/contract_env.h"
#include "tests/test_audit.h"

namespace telerad::contract {

template <typename Env>
class StudyWorklistContract : public RepositoryContract<Env> {};
TYPED_TEST_SUITE_P(StudyWorklistContract);

// Most urgent first, then by deadline, then by id; every page size gives the same order.
TYPED_TEST_P(StudyWorklistContract, WorklistPagesInPriorityThenDeadlineThenIdOrder) {
  this->Ready({"3.1", "3.2", "3.3", "3.4", "3.5"});
  ASSERT_TRUE(
      *this->studies().UpdateOrder("3.4", Priority::kStat, std::nullopt, SlaTargets{}, Audit()));
  ASSERT_TRUE(
      *this->studies().UpdateOrder("3.2", Priority::kUrgent, std::nullopt, SlaTargets{}, Audit()));
  SlaTargets sooner;
  sooner.routine = hours(2);  // 3.5's deadline moves before 3.1's, despite its larger id
  ASSERT_TRUE(
      *this->studies().UpdateOrder("3.5", Priority::kRoutine, std::nullopt, sooner, Audit()));
  const std::vector<std::string> expected = {"3.4", "3.2", "3.5", "3.1", "3.3"};
  for (int limit = 1; limit <= 6; ++limit) {
    StudyQuery q;
    q.status = StudyStatus::kReady;
    q.limit = limit;
    EXPECT_EQ(this->AllPages(q), expected) << "limit " << limit;
  }
}

TYPED_TEST_P(StudyWorklistContract, AFullLastPageHasNoCursor) {
  this->Ready({"3.6", "3.7"});
  StudyQuery q;
  q.limit = 2;
  auto page = this->studies().ListStudies(q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 2u);
  EXPECT_FALSE(page->next_cursor.has_value());
  q.limit = 1;
  page = this->studies().ListStudies(q);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->next_cursor.has_value());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_TRUE(page->items[0].series.empty());  // series come with single-study reads only
}

TYPED_TEST_P(StudyWorklistContract, ForeignCursorsAreInvalidArguments) {
  this->Ready({"3.8", "3.9"});
  StudyQuery q;
  q.cursor = "1.2.x";
  EXPECT_EQ(this->studies().ListStudies(q).status().code(), StatusCode::kInvalidArgument);
  q.cursor = "";
  EXPECT_EQ(this->studies().ListStudies(q).status().code(), StatusCode::kInvalidArgument);
  // The worklist's and an inbox's cursors do not mix.
  StudyQuery worklist;
  worklist.limit = 1;
  StudyQuery inbox = worklist;
  inbox.facility_id = this->facility_.id;
  auto worklist_page = this->studies().ListStudies(worklist);
  auto inbox_page = this->studies().ListStudies(inbox);
  ASSERT_TRUE(worklist_page.ok() && worklist_page->next_cursor);
  ASSERT_TRUE(inbox_page.ok() && inbox_page->next_cursor);
  inbox.cursor = worklist_page->next_cursor;
  EXPECT_EQ(this->studies().ListStudies(inbox).status().code(), StatusCode::kInvalidArgument);
  worklist.cursor = inbox_page->next_cursor;
  EXPECT_EQ(this->studies().ListStudies(worklist).status().code(), StatusCode::kInvalidArgument);
}

TYPED_TEST_P(StudyWorklistContract, FiltersCombine) {
  this->Ready({"4.1", "4.2"});
  this->Ready({"4.3"}, this->other_.id);
  this->Index(this->Record("4.4", "1", "1", "CR"));  // receiving, X-ray
  ASSERT_TRUE(
      *this->studies().UpdateOrder("4.2", Priority::kUrgent, std::nullopt, SlaTargets{}, Audit()));
  auto uids = [this](StudyQuery q) {
    q.limit = 10;
    return this->AllPages(q);
  };
  using V = std::vector<std::string>;
  StudyQuery q;
  EXPECT_EQ(uids(q).size(), 4u);
  q.status = StudyStatus::kReady;
  EXPECT_EQ(uids(q), (V{"4.2", "4.1", "4.3"}));
  q.facility_code = "B";
  EXPECT_EQ(uids(q), (V{"4.3"}));
  q.facility_code = "Z";  // no such facility: nothing, not everything
  EXPECT_TRUE(uids(q).empty());
  q = StudyQuery{};
  q.priority = Priority::kUrgent;
  EXPECT_EQ(uids(q), (V{"4.2"}));
  q = StudyQuery{};
  q.modality_class = ModalityClass::kXray;
  EXPECT_EQ(uids(q), (V{"4.4"}));
  q = StudyQuery{};
  q.aimag = "Увс";
  q.status = StudyStatus::kReceiving;
  EXPECT_EQ(uids(q), (V{"4.4"}));
  q.aimag = "Ховд";
  EXPECT_TRUE(uids(q).empty());
  q = StudyQuery{};
  q.facility_id = this->other_.id;
  EXPECT_EQ(uids(q), (V{"4.3"}));
}

TYPED_TEST_P(StudyWorklistContract, ReceivedFilterIncludesItsStartAndExcludesItsEnd) {
  this->Index(this->Record("4.5"));
  const TimePoint received = this->Find("4.5").received_at;
  StudyQuery q;
  q.received_from = received;
  EXPECT_EQ(this->AllPages(q), (std::vector<std::string>{"4.5"}));
  q.received_from.reset();
  q.received_to = received;
  EXPECT_TRUE(this->AllPages(q).empty());
  q.received_to = received + seconds(1);
  EXPECT_EQ(this->AllPages(q), (std::vector<std::string>{"4.5"}));
}

// A facility's inbox: unacknowledged critical findings first, then the worklist order,
// studies without a deadline (still receiving) last; the radiologists' worklist ignores
// the flag.
TYPED_TEST_P(StudyWorklistContract, InboxPutsCriticalFindingsFirstAndPagesAcrossThem) {
  const int64_t rad = this->Radiologist("rad1");
  this->Ready({"5.1", "5.2", "5.3", "5.4", "5.5"});
  this->Ready({"5.8"}, this->other_.id);
  ASSERT_TRUE(
      *this->studies().UpdateOrder("5.2", Priority::kStat, std::nullopt, SlaTargets{}, Audit()));
  ASSERT_TRUE(
      *this->studies().UpdateOrder("5.4", Priority::kUrgent, std::nullopt, SlaTargets{}, Audit()));
  this->Reported("5.3", rad, /*critical=*/true);
  this->Reported("5.4", rad, /*critical=*/true);
  this->Reported("5.5", rad, /*critical=*/false);
  this->Reported("5.8", rad, /*critical=*/true);  // another facility's
  this->Index(this->Record("5.7"));               // receiving: no deadline
  EXPECT_TRUE(this->Find("5.3").critical_pending);
  EXPECT_FALSE(this->Find("5.5").critical_pending);

  const std::vector<std::string> expected = {"5.4", "5.3", "5.2", "5.1", "5.5", "5.7"};
  for (int limit = 1; limit <= 4; ++limit) {
    StudyQuery q;
    q.facility_id = this->facility_.id;
    q.limit = limit;
    EXPECT_EQ(this->AllPages(q), expected) << "limit " << limit;
  }
  StudyQuery worklist;
  EXPECT_EQ(this->AllPages(worklist),
            (std::vector<std::string>{"5.2", "5.4", "5.1", "5.3", "5.5", "5.8", "5.7"}));
  ASSERT_TRUE(*this->reports().AcknowledgeCritical("5.4", rad, Audit()));
  StudyQuery inbox;
  inbox.facility_id = this->facility_.id;
  inbox.limit = 1;
  EXPECT_EQ(this->studies().ListStudies(inbox)->items.at(0).study_uid, "5.3");
}

REGISTER_TYPED_TEST_SUITE_P(StudyWorklistContract, WorklistPagesInPriorityThenDeadlineThenIdOrder,
                            AFullLastPageHasNoCursor, ForeignCursorsAreInvalidArguments,
                            FiltersCombine, ReceivedFilterIncludesItsStartAndExcludesItsEnd,
                            InboxPutsCriticalFindingsFirstAndPagesAcrossThem);

}  // namespace telerad::contract
