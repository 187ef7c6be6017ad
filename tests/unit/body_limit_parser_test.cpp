#include "api/body_limit_parser.h"

#include <gtest/gtest.h>

namespace telerad::api {
namespace {

TEST(BodyLimitParser, PathTemplatesMatchOneSegmentPerParameter) {
  EXPECT_TRUE(PathMatchesTemplate("/dicomweb/studies", "/dicomweb/studies"));
  EXPECT_TRUE(PathMatchesTemplate("/dicomweb/studies/1.2.3", "/dicomweb/studies/:study_uid"));
  EXPECT_FALSE(
      PathMatchesTemplate("/dicomweb/studies/1.2.3/series", "/dicomweb/studies/:study_uid"));
  EXPECT_FALSE(PathMatchesTemplate("/dicomweb/studies/", "/dicomweb/studies/:study_uid"));
  EXPECT_FALSE(PathMatchesTemplate("/dicomweb/studies", "/dicomweb/studies/:study_uid"));
  EXPECT_FALSE(PathMatchesTemplate("/dicomweb/studiesx", "/dicomweb/studies"));
  EXPECT_FALSE(PathMatchesTemplate("/api/v1/auth/login", "/dicomweb/studies"));
}

TEST(BodyLimitParser, LargeBodySlotsAreCounted) {
  BodyLimits limits;
  limits.max_large_bodies = 2;
  BodyLimitGuard guard(limits);
  EXPECT_TRUE(guard.Enter());
  EXPECT_TRUE(guard.Enter());
  EXPECT_FALSE(guard.Enter());
  EXPECT_EQ(guard.large_bodies(), 2);
  guard.Leave();
  EXPECT_TRUE(guard.Enter());
}

}  // namespace
}  // namespace telerad::api
