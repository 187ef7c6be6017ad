#include "src/audit/audit_outcome.h"

#include <gtest/gtest.h>

#include <string>

namespace telerad {
namespace {

TEST(AuditOutcomeTest, OkIsSuccess) { EXPECT_STREQ(AuditOutcome(Status::Ok()), "success"); }

// The words auditors read in audit_event (tests and dashboards match them).
TEST(AuditOutcomeTest, EachCodeHasItsWord) {
  const std::pair<Status, const char*> cases[] = {
      {Status::InvalidArgument("x"), "invalid"},
      {Status::Malformed("x"), "invalid"},
      {Status::TooLarge("x"), "invalid"},
      {Status::Unprocessable("x"), "invalid"},
      {Status::NotAcceptable("x"), "invalid"},
      {Status::UnsupportedMediaType("x"), "invalid"},
      {Status::Unauthenticated("x"), "unauthenticated"},
      {Status::PermissionDenied("x"), "denied"},
      {Status::NotFound("x"), "not_found"},
      {Status::Conflict("x"), "conflict"},
      {Status::FailedPrecondition("x"), "conflict"},
      {Status::TooManyRequests("x"), "throttled"},
      {Status::Unavailable("x"), "error"},
      {Status::ResourceExhausted("x"), "error"},
      {Status::Internal("x"), "error"},
  };
  for (const auto& [status, word] : cases)
    EXPECT_STREQ(AuditOutcome(status), word) << status.ToString();
  // One case per code but kOk (above): a new code must be given its word here too.
  EXPECT_EQ(std::size(cases), static_cast<size_t>(StatusCode::kInternal));
}

}  // namespace
}  // namespace telerad
