#include "src/study_service.h"

#include <gtest/gtest.h>

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
  StudyService service(repo);
  ASSERT_TRUE(service.List(Who(Role::kRadiologist), {}).ok());
  EXPECT_EQ(repo.last_query.status, StudyStatus::kReady);
  EXPECT_FALSE(repo.last_query.facility_id.has_value());
}

TEST(StudyServiceTest, FacilityUserIsScopedToItsOwnFacility) {
  FakeStudyRepository repo;
  StudyService service(repo);
  StudyQuery q;
  q.facility_id = 99;  // asking for another facility changes nothing
  ASSERT_TRUE(service.List(Who(Role::kFacility, 5), q).ok());
  EXPECT_EQ(repo.last_query.facility_id, 5);
  EXPECT_FALSE(repo.last_query.status.has_value());
}

TEST(StudyServiceTest, MinistryGetsNoStudies) {
  FakeStudyRepository repo;
  StudyService service(repo);
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
  StudyService service(repo);
  EXPECT_TRUE(service.Get(Who(Role::kFacility, 5), "1.2.3").ok());
  EXPECT_EQ(service.Get(Who(Role::kFacility, 6), "1.2.3").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service.Get(Who(Role::kRadiologist), "../etc").status().code(), StatusCode::kNotFound);
}

TEST(StudyServiceTest, LimitMustBeReasonable) {
  FakeStudyRepository repo;
  StudyService service(repo);
  StudyQuery q;
  q.limit = 0;
  EXPECT_EQ(service.List(Who(Role::kAdmin), q).status().code(), StatusCode::kInvalidArgument);
  q.limit = 1000;
  EXPECT_EQ(service.List(Who(Role::kAdmin), q).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace telerad
