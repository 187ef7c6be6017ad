// The StudyRepository contract (src/index/study_repository.h), part 3: claims, release,
// lease renewal and expiry (a lease of 0 s has run out at once, so nothing sleeps), and
// order changes. Instantiate with an environment (contract_env.h):
//   INSTANTIATE_TYPED_TEST_SUITE_P(FakeStudyClaim, StudyClaimContract, FakeEnv);
#pragma once

#include <string>
#include <vector>

#include "tests/contract/contract_env.h"
#include "tests/test_audit.h"

namespace telerad::contract {

template <typename Env>
class StudyClaimContract : public RepositoryContract<Env> {};
TYPED_TEST_SUITE_P(StudyClaimContract);

TYPED_TEST_P(StudyClaimContract, ClaimTakesAReadyStudy) {
  const int64_t rad = this->Radiologist("rad1");
  this->Ready({"6.1"});
  auto claim = this->studies().Claim("6.1", rad, seconds(1800), Audit());
  ASSERT_TRUE(claim.ok());
  EXPECT_TRUE(claim->found && claim->claimed);
  EXPECT_EQ(claim->status, StudyStatus::kClaimed);
  ASSERT_TRUE(claim->expires_at.has_value());
  const Study s = this->Find("6.1");
  EXPECT_EQ(s.status, StudyStatus::kClaimed);
  EXPECT_EQ(s.claimed_by, "rad1");
  EXPECT_EQ(s.claim_expires_at, claim->expires_at);
}

TYPED_TEST_P(StudyClaimContract, SecondClaimerLosesAndLearnsTheHolder) {
  const int64_t rad1 = this->Radiologist("rad1");
  const int64_t rad2 = this->Radiologist("rad2");
  this->Ready({"6.2"});
  auto first = this->studies().Claim("6.2", rad1, seconds(1800), Audit());
  auto second = this->studies().Claim("6.2", rad2, seconds(1800), Audit());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_TRUE(second->found);
  EXPECT_FALSE(second->claimed);
  EXPECT_EQ(second->status, StudyStatus::kClaimed);
  EXPECT_EQ(second->holder, "rad1");
  EXPECT_EQ(second->expires_at, first->expires_at);
  EXPECT_EQ(this->Find("6.2").claimed_by, "rad1");
}

TYPED_TEST_P(StudyClaimContract, TheHolderRenewsTheLease) {
  const int64_t rad = this->Radiologist("rad1");
  this->Ready({"6.3"});
  auto first = this->studies().Claim("6.3", rad, seconds(60), Audit());
  auto renewed = this->studies().Claim("6.3", rad, seconds(3600), Audit());
  ASSERT_TRUE(first.ok() && renewed.ok());
  EXPECT_TRUE(renewed->claimed);
  ASSERT_TRUE(first->expires_at && renewed->expires_at);
  EXPECT_GE(*renewed->expires_at - *first->expires_at, seconds(3600 - 60));
}

TYPED_TEST_P(StudyClaimContract, OnlyReadyStudiesAreClaimable) {
  const int64_t rad = this->Radiologist("rad1");
  this->Ready({"6.5"});
  this->Reported("6.5", rad);
  auto reported = this->studies().Claim("6.5", rad, seconds(60), Audit());
  ASSERT_TRUE(reported.ok());
  EXPECT_FALSE(reported->claimed);
  EXPECT_EQ(reported->status, StudyStatus::kReported);
  EXPECT_FALSE(reported->holder.has_value());
  this->Index(this->Record("6.4"));
  auto receiving = this->studies().Claim("6.4", rad, seconds(60), Audit());
  ASSERT_TRUE(receiving.ok());
  EXPECT_TRUE(receiving->found);
  EXPECT_FALSE(receiving->claimed);
  EXPECT_EQ(receiving->status, StudyStatus::kReceiving);
  EXPECT_FALSE(receiving->holder.has_value());
  auto unknown = this->studies().Claim("9.9", rad, seconds(60), Audit());
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->found);
}

TYPED_TEST_P(StudyClaimContract, OnlyTheHolderReleases) {
  const int64_t rad1 = this->Radiologist("rad1");
  const int64_t rad2 = this->Radiologist("rad2");
  this->Ready({"6.6"});
  ASSERT_TRUE(this->studies().Claim("6.6", rad1, seconds(60), Audit())->claimed);
  EXPECT_FALSE(*this->studies().Release("6.6", rad2, Audit()));
  EXPECT_EQ(this->Find("6.6").status, StudyStatus::kClaimed);
  EXPECT_TRUE(*this->studies().Release("6.6", rad1, Audit()));
  const Study s = this->Find("6.6");
  EXPECT_EQ(s.status, StudyStatus::kReady);
  EXPECT_FALSE(s.claimed_by || s.claim_expires_at);
  EXPECT_FALSE(*this->studies().Release("6.6", rad1, Audit()));  // nothing left to release
  EXPECT_FALSE(*this->studies().Release("9.9", rad1, Audit()));
  EXPECT_TRUE(this->studies().Claim("6.6", rad2, seconds(60), Audit())->claimed);
}

TYPED_TEST_P(StudyClaimContract, ExpireClaimsReturnsLapsedLeasesOnly) {
  const int64_t rad = this->Radiologist("rad1");
  this->Ready({"6.7", "6.8"});
  ASSERT_TRUE(this->studies().Claim("6.7", rad, seconds(0), Audit())->claimed);  // ran out at once
  ASSERT_TRUE(this->studies().Claim("6.8", rad, seconds(3600), Audit())->claimed);
  EXPECT_EQ(*this->studies().ExpireClaims(), 1);
  const Study lapsed = this->Find("6.7");
  EXPECT_EQ(lapsed.status, StudyStatus::kReady);
  EXPECT_FALSE(lapsed.claimed_by || lapsed.claim_expires_at);
  EXPECT_EQ(this->Find("6.8").status, StudyStatus::kClaimed);
  EXPECT_EQ(*this->studies().ExpireClaims(), 0);
}

TYPED_TEST_P(StudyClaimContract, ALapsedLeaseMayBeTakenBeforeItIsExpired) {
  const int64_t rad1 = this->Radiologist("rad1");
  const int64_t rad2 = this->Radiologist("rad2");
  this->Ready({"6.9"});
  ASSERT_TRUE(this->studies().Claim("6.9", rad1, seconds(0), Audit())->claimed);
  auto taken = this->studies().Claim("6.9", rad2, seconds(60), Audit());
  ASSERT_TRUE(taken.ok());
  EXPECT_TRUE(taken->claimed);
  EXPECT_EQ(this->Find("6.9").claimed_by, "rad2");
}

TYPED_TEST_P(StudyClaimContract, UpdateOrderMovesTheDeadlineWithThePriority) {
  this->Ready({"7.1"});
  ASSERT_TRUE(*this->studies().UpdateOrder("7.1", Priority::kUrgent, std::string("chest pain"),
                                           SlaTargets{}, Audit()));
  Study s = this->Find("7.1");
  EXPECT_EQ(s.priority, Priority::kUrgent);
  EXPECT_EQ(s.clinical_info, "chest pain");
  EXPECT_EQ(*s.sla_due_at - *s.ready_at, SlaTargets{}.urgent);
  ASSERT_TRUE(*this->studies().UpdateOrder("7.1", std::nullopt, std::string("worse"), SlaTargets{},
                                           Audit()));
  s = this->Find("7.1");
  EXPECT_EQ(s.priority, Priority::kUrgent);  // unset fields are kept
  EXPECT_EQ(s.clinical_info, "worse");
  ASSERT_TRUE(
      *this->studies().UpdateOrder("7.1", Priority::kStat, std::nullopt, SlaTargets{}, Audit()));
  EXPECT_EQ(this->Find("7.1").clinical_info, "worse");
}

TYPED_TEST_P(StudyClaimContract, UpdateOrderLeavesAReportedStudyAsItWasRead) {
  const int64_t rad = this->Radiologist("rad1");
  this->Ready({"7.2"});
  this->Reported("7.2", rad);
  auto updated =
      this->studies().UpdateOrder("7.2", Priority::kStat, std::string("x"), SlaTargets{}, Audit());
  ASSERT_TRUE(updated.ok());
  EXPECT_FALSE(*updated);
  const Study s = this->Find("7.2");
  EXPECT_EQ(s.priority, Priority::kRoutine);
  EXPECT_EQ(s.clinical_info, "");
  EXPECT_EQ(this->studies()
                .UpdateOrder("9.9", Priority::kStat, std::nullopt, SlaTargets{}, Audit())
                .status()
                .code(),
            StatusCode::kNotFound);
}

// A change and its audit entry commit together: the entry is in the trail, with the id the
// repository set, exactly when the change happened.
TYPED_TEST_P(StudyClaimContract, AClaimAndItsAuditEntryCommitTogether) {
  const int64_t rad1 = this->Radiologist("rad1");
  const int64_t rad2 = this->Radiologist("rad2");
  this->Ready({"6.20"});
  AuditEntry won = this->Entry("study.claim", "6.20");
  auto claim = this->studies().Claim("6.20", rad1, seconds(1800), won);
  ASSERT_TRUE(claim.ok() && claim->claimed);
  EXPECT_NE(won.id, 0);
  // The loser's claim changed nothing and appended nothing (the caller records refusals).
  AuditEntry lost = this->Entry("study.claim", "6.20");
  ASSERT_TRUE(this->studies().Claim("6.20", rad2, seconds(1800), lost).ok());
  EXPECT_EQ(lost.id, 0);
  auto trail = this->Trail("study.claim");
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(trail[0].id, won.id);
  EXPECT_EQ(trail[0].object_id, "6.20");
  EXPECT_EQ(trail[0].username, "contract");
  EXPECT_EQ(trail[0].remote_addr, "192.0.2.1");
  EXPECT_EQ(trail[0].outcome, "success");
  AuditEntry released = this->Entry("study.release", "6.20");
  auto release = this->studies().Release("6.20", rad1, released);
  ASSERT_TRUE(release.ok() && *release);
  EXPECT_EQ(this->Trail("study.release").size(), 1u);
}

// The audit insert fails: the change rolls back with it and the caller gets an error.
TYPED_TEST_P(StudyClaimContract, AFailedAuditAppendUndoesTheChange) {
  const int64_t rad = this->Radiologist("rad1");
  this->Ready({"6.21"});
  this->env_.FailAuditAppends();
  AuditEntry entry = this->Entry("study.claim", "6.21");
  EXPECT_FALSE(this->studies().Claim("6.21", rad, seconds(1800), entry).ok());
  EXPECT_EQ(this->Find("6.21").status, StudyStatus::kReady);
  EXPECT_FALSE(this->Find("6.21").claimed_by.has_value());
  AuditEntry order = this->Entry("study.update", "6.21");
  EXPECT_FALSE(
      this->studies().UpdateOrder("6.21", Priority::kStat, std::nullopt, SlaTargets{}, order).ok());
  EXPECT_EQ(this->Find("6.21").priority, Priority::kRoutine);
  EXPECT_TRUE(this->Trail("study.claim").empty());
}

REGISTER_TYPED_TEST_SUITE_P(
    StudyClaimContract, ClaimTakesAReadyStudy, SecondClaimerLosesAndLearnsTheHolder,
    TheHolderRenewsTheLease, OnlyReadyStudiesAreClaimable, OnlyTheHolderReleases,
    ExpireClaimsReturnsLapsedLeasesOnly, ALapsedLeaseMayBeTakenBeforeItIsExpired,
    UpdateOrderMovesTheDeadlineWithThePriority, UpdateOrderLeavesAReportedStudyAsItWasRead,
    AClaimAndItsAuditEntryCommitTogether, AFailedAuditAppendUndoesTheChange);

}  // namespace telerad::contract
