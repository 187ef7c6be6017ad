// The StudyRepository contract (src/index/study_repository.h), part 3: claims, release,
// lease renewal and expiry (a lease of 0 s has run out at once, so nothing sleeps), and
// order changes. Instantiate with an environment (contract_env.h):
//   INSTANTIATE_TYPED_TEST_SUITE_P(FakeStudyClaim, StudyClaimContract, FakeEnv);
#pragma once

#include <string>
#include <vector>

#include "tests/contract/contract_env.h"

namespace telerad::contract {

template <typename Env>
class StudyClaimContract : public RepositoryContract<Env> {};
TYPED_TEST_SUITE_P(StudyClaimContract);

TYPED_TEST_P(StudyClaimContract, ClaimTakesAReadyStudy) {
  const int64_t rad = this->Radiologist("rad1");
  this->Ready({"6.1"});
  auto claim = this->studies().Claim("6.1", rad, seconds(1800));
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
  auto first = this->studies().Claim("6.2", rad1, seconds(1800));
  auto second = this->studies().Claim("6.2", rad2, seconds(1800));
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
  auto first = this->studies().Claim("6.3", rad, seconds(60));
  auto renewed = this->studies().Claim("6.3", rad, seconds(3600));
  ASSERT_TRUE(first.ok() && renewed.ok());
  EXPECT_TRUE(renewed->claimed);
  ASSERT_TRUE(first->expires_at && renewed->expires_at);
  EXPECT_GE(*renewed->expires_at - *first->expires_at, seconds(3600 - 60));
}

TYPED_TEST_P(StudyClaimContract, OnlyReadyStudiesAreClaimable) {
  const int64_t rad = this->Radiologist("rad1");
  this->Ready({"6.5"});
  this->Reported("6.5", rad);
  auto reported = this->studies().Claim("6.5", rad, seconds(60));
  ASSERT_TRUE(reported.ok());
  EXPECT_FALSE(reported->claimed);
  EXPECT_EQ(reported->status, StudyStatus::kReported);
  EXPECT_FALSE(reported->holder.has_value());
  this->Index(this->Record("6.4"));
  auto receiving = this->studies().Claim("6.4", rad, seconds(60));
  ASSERT_TRUE(receiving.ok());
  EXPECT_TRUE(receiving->found);
  EXPECT_FALSE(receiving->claimed);
  EXPECT_EQ(receiving->status, StudyStatus::kReceiving);
  EXPECT_FALSE(receiving->holder.has_value());
  auto unknown = this->studies().Claim("9.9", rad, seconds(60));
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->found);
}

TYPED_TEST_P(StudyClaimContract, OnlyTheHolderReleases) {
  const int64_t rad1 = this->Radiologist("rad1");
  const int64_t rad2 = this->Radiologist("rad2");
  this->Ready({"6.6"});
  ASSERT_TRUE(this->studies().Claim("6.6", rad1, seconds(60))->claimed);
  EXPECT_FALSE(*this->studies().Release("6.6", rad2));
  EXPECT_EQ(this->Find("6.6").status, StudyStatus::kClaimed);
  EXPECT_TRUE(*this->studies().Release("6.6", rad1));
  const Study s = this->Find("6.6");
  EXPECT_EQ(s.status, StudyStatus::kReady);
  EXPECT_FALSE(s.claimed_by || s.claim_expires_at);
  EXPECT_FALSE(*this->studies().Release("6.6", rad1));  // nothing left to release
  EXPECT_FALSE(*this->studies().Release("9.9", rad1));
  EXPECT_TRUE(this->studies().Claim("6.6", rad2, seconds(60))->claimed);
}

TYPED_TEST_P(StudyClaimContract, ExpireClaimsReturnsLapsedLeasesOnly) {
  const int64_t rad = this->Radiologist("rad1");
  this->Ready({"6.7", "6.8"});
  ASSERT_TRUE(this->studies().Claim("6.7", rad, seconds(0))->claimed);  // ran out at once
  ASSERT_TRUE(this->studies().Claim("6.8", rad, seconds(3600))->claimed);
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
  ASSERT_TRUE(this->studies().Claim("6.9", rad1, seconds(0))->claimed);
  auto taken = this->studies().Claim("6.9", rad2, seconds(60));
  ASSERT_TRUE(taken.ok());
  EXPECT_TRUE(taken->claimed);
  EXPECT_EQ(this->Find("6.9").claimed_by, "rad2");
}

TYPED_TEST_P(StudyClaimContract, UpdateOrderMovesTheDeadlineWithThePriority) {
  this->Ready({"7.1"});
  ASSERT_TRUE(*this->studies().UpdateOrder("7.1", Priority::kUrgent, std::string("chest pain"),
                                           SlaTargets{}));
  Study s = this->Find("7.1");
  EXPECT_EQ(s.priority, Priority::kUrgent);
  EXPECT_EQ(s.clinical_info, "chest pain");
  EXPECT_EQ(*s.sla_due_at - *s.ready_at, SlaTargets{}.urgent);
  ASSERT_TRUE(
      *this->studies().UpdateOrder("7.1", std::nullopt, std::string("worse"), SlaTargets{}));
  s = this->Find("7.1");
  EXPECT_EQ(s.priority, Priority::kUrgent);  // unset fields are kept
  EXPECT_EQ(s.clinical_info, "worse");
  ASSERT_TRUE(*this->studies().UpdateOrder("7.1", Priority::kStat, std::nullopt, SlaTargets{}));
  EXPECT_EQ(this->Find("7.1").clinical_info, "worse");
}

TYPED_TEST_P(StudyClaimContract, UpdateOrderLeavesAReportedStudyAsItWasRead) {
  const int64_t rad = this->Radiologist("rad1");
  this->Ready({"7.2"});
  this->Reported("7.2", rad);
  auto updated =
      this->studies().UpdateOrder("7.2", Priority::kStat, std::string("x"), SlaTargets{});
  ASSERT_TRUE(updated.ok());
  EXPECT_FALSE(*updated);
  const Study s = this->Find("7.2");
  EXPECT_EQ(s.priority, Priority::kRoutine);
  EXPECT_EQ(s.clinical_info, "");
  EXPECT_EQ(this->studies()
                .UpdateOrder("9.9", Priority::kStat, std::nullopt, SlaTargets{})
                .status()
                .code(),
            StatusCode::kNotFound);
}

REGISTER_TYPED_TEST_SUITE_P(StudyClaimContract, ClaimTakesAReadyStudy,
                            SecondClaimerLosesAndLearnsTheHolder, TheHolderRenewsTheLease,
                            OnlyReadyStudiesAreClaimable, OnlyTheHolderReleases,
                            ExpireClaimsReturnsLapsedLeasesOnly,
                            ALapsedLeaseMayBeTakenBeforeItIsExpired,
                            UpdateOrderMovesTheDeadlineWithThePriority,
                            UpdateOrderLeavesAReportedStudyAsItWasRead);

}  // namespace telerad::contract
