#include "src/reading/study_service.h"

#include <gtest/gtest.h>

#include "tests/test_audit.h"
#include "tests/unit/fakes.h"

namespace telerad {
namespace {

Principal Who(Role role, std::optional<int64_t> facility = std::nullopt) {
  Principal p;
  p.user_id = 1;
  p.role = role;
  p.facility_id = facility;
  return p;
}

TEST(StudyServiceTest, RadiologistWorklistDefaultsToReadyStudies) {
  FakeStudyRepository repo;
  StudyService service(repo, std::chrono::minutes(30));
  ASSERT_TRUE(service.List(Who(Role::kRadiologist), {}).ok());
  EXPECT_EQ(repo.last_query.status, StudyStatus::kReady);
  EXPECT_FALSE(repo.last_query.facility_id.has_value());
}

TEST(StudyServiceTest, FacilityUserIsScopedToItsOwnFacility) {
  FakeStudyRepository repo;
  StudyService service(repo, std::chrono::minutes(30));
  StudyQuery q;
  q.facility_id = 99;  // asking for another facility changes nothing
  ASSERT_TRUE(service.List(Who(Role::kFacility, 5), q).ok());
  EXPECT_EQ(repo.last_query.facility_id, 5);
  EXPECT_FALSE(repo.last_query.status.has_value());
}

TEST(StudyServiceTest, MinistryGetsNoStudies) {
  FakeStudyRepository repo;
  StudyService service(repo, std::chrono::minutes(30));
  EXPECT_EQ(service.List(Who(Role::kMinistry), {}).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service.Get(Who(Role::kMinistry), "1.2.3").status().code(),
            StatusCode::kPermissionDenied);
}

TEST(StudyServiceTest, AnotherFacilitysStudyIsNotFound) {
  FakeStudyRepository repo;
  Study s;
  s.study_uid = "1.2.3";
  s.facility.id = 5;
  repo.studies["1.2.3"] = s;
  StudyService service(repo, std::chrono::minutes(30));
  EXPECT_TRUE(service.Get(Who(Role::kFacility, 5), "1.2.3").ok());
  EXPECT_EQ(service.Get(Who(Role::kFacility, 6), "1.2.3").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service.Get(Who(Role::kRadiologist), "../etc").status().code(), StatusCode::kNotFound);
}

TEST(StudyServiceTest, LimitMustBeReasonable) {
  FakeStudyRepository repo;
  StudyService service(repo, std::chrono::minutes(30));
  StudyQuery q;
  q.limit = 0;
  EXPECT_EQ(service.List(Who(Role::kAdmin), q).status().code(), StatusCode::kInvalidArgument);
  q.limit = 1000;
  EXPECT_EQ(service.List(Who(Role::kAdmin), q).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace telerad

namespace telerad {
namespace {

class ClaimTest : public ::testing::Test {
 protected:
  ClaimTest() : service_(repo_, std::chrono::minutes(30)) {
    Study s;
    s.study_uid = "1.2.3";
    s.status = StudyStatus::kReady;
    repo_.studies["1.2.3"] = s;
    rad1_ = Who(Role::kRadiologist);
    rad1_.username = "rad1";
    rad2_ = rad1_;
    rad2_.user_id = 2;
    rad2_.username = "rad2";
  }
  FakeStudyRepository repo_;
  StudyService service_;
  Principal rad1_, rad2_;
};

TEST_F(ClaimTest, SecondClaimerGetsConflictNamingTheHolder) {
  auto first = service_.Claim(rad1_, "1.2.3", Audit());
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->claimed_by, "rad1");
  auto second = service_.Claim(rad2_, "1.2.3", Audit());
  EXPECT_EQ(second.status().code(), StatusCode::kConflict);
  EXPECT_NE(second.status().message().find("claimed by"), std::string::npos);
  EXPECT_TRUE(service_.Claim(rad1_, "1.2.3", Audit()).ok());  // renewing one's own lease
}

// The service hands the request's entry to the repository with the change: it is in the
// trail when the claim happened, absent when it was refused, and a trail that refuses
// the entry refuses the claim.
TEST_F(ClaimTest, TheClaimCommitsWithItsAuditEntryOrNotAtAll) {
  AuditEntry claimed;
  claimed.action = "study.claim";
  ASSERT_TRUE(service_.Claim(rad1_, "1.2.3", claimed).ok());
  EXPECT_EQ(claimed.id, 1);
  AuditEntry refused;
  EXPECT_FALSE(service_.Claim(rad2_, "1.2.3", refused).ok());
  EXPECT_EQ(refused.id, 0);
  ASSERT_EQ(repo_.own_audit_log.entries.size(), 1u);
  EXPECT_EQ(repo_.own_audit_log.entries[0].action, "study.claim");

  ASSERT_TRUE(service_.Release(rad1_, "1.2.3", Audit()).ok());
  repo_.own_audit_log.fail = true;
  AuditEntry failing;
  EXPECT_EQ(service_.Claim(rad2_, "1.2.3", failing).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(repo_.studies["1.2.3"].status, StudyStatus::kReady);
  EXPECT_FALSE(repo_.studies["1.2.3"].claimed_by.has_value());
}

TEST_F(ClaimTest, ReleaseReturnsTheStudyAndOnlyTheHolderMayRelease) {
  ASSERT_TRUE(service_.Claim(rad1_, "1.2.3", Audit()).ok());
  EXPECT_EQ(service_.Release(rad2_, "1.2.3", Audit()).code(), StatusCode::kConflict);
  EXPECT_TRUE(service_.Release(rad1_, "1.2.3", Audit()).ok());
  EXPECT_EQ(repo_.studies["1.2.3"].status, StudyStatus::kReady);
  EXPECT_TRUE(service_.Claim(rad2_, "1.2.3", Audit()).ok());
}

TEST_F(ClaimTest, OnlyRadiologistsClaimAndOnlyKnownReadyStudies) {
  EXPECT_EQ(service_.Claim(Who(Role::kFacility, 5), "1.2.3", Audit()).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_.Claim(Who(Role::kMinistry), "1.2.3", Audit()).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_.Claim(rad1_, "9.9.9", Audit()).status().code(), StatusCode::kNotFound);
  repo_.studies["1.2.3"].status = StudyStatus::kReceiving;
  EXPECT_EQ(service_.Claim(rad1_, "1.2.3", Audit()).status().code(), StatusCode::kConflict);
}

}  // namespace
}  // namespace telerad
