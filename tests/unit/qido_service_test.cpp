#include "src/imaging/qido_service.h"

#include <gtest/gtest.h>

namespace telerad {
namespace {

// Records the scope each search ran with.
class ScopeRecorder : public QidoRepository {
 public:
  Result<std::vector<QidoMatch>> Search(const QidoQuery&,
                                        std::optional<int64_t> facility_id) override {
    ++calls;
    scope = facility_id;
    return std::vector<QidoMatch>{};
  }
  int calls = 0;
  std::optional<int64_t> scope;
};

Principal As(Role role, std::optional<int64_t> facility = std::nullopt) {
  Principal p;
  p.user_id = 1;
  p.username = "u";
  p.role = role;
  p.facility_id = facility;
  return p;
}

TEST(QidoServiceTest, RadiologistsAndAdminsSearchEveryStudy) {
  for (Role role : {Role::kRadiologist, Role::kAdmin}) {
    ScopeRecorder index;
    QidoService service(index);
    ASSERT_TRUE(service.Search(As(role), QidoQuery{}).ok());
    EXPECT_EQ(index.calls, 1);
    EXPECT_FALSE(index.scope);
  }
}

TEST(QidoServiceTest, FacilityUsersSearchTheirOwnFacilityOnly) {
  ScopeRecorder index;
  QidoService service(index);
  ASSERT_TRUE(service.Search(As(Role::kFacility, 42), QidoQuery{}).ok());
  EXPECT_EQ(index.scope, 42);
  ScopeRecorder none;
  QidoService without(none);
  EXPECT_EQ(without.Search(As(Role::kFacility), QidoQuery{}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(none.calls, 0);
}

TEST(QidoServiceTest, MinistryAndSpecialistsAreRefused) {
  for (Role role : {Role::kMinistry, Role::kSpecialist}) {
    ScopeRecorder index;
    QidoService service(index);
    EXPECT_EQ(service.Search(As(role), QidoQuery{}).status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(index.calls, 0);
  }
}

}  // namespace
}  // namespace telerad
