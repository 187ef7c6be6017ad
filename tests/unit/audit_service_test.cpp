// AuditService over an in-memory trail and a FakeClock: when an entry is stamped.
#include "src/audit/audit_service.h"

#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "tests/fakes/memory_audit_repository.h"
#include "tests/unit/fake_clock.h"

namespace telerad {
namespace {

AuditEntry Entry(const char* action) {
  AuditEntry e;
  e.username = "rad1";
  e.role = "radiologist";
  e.action = action;
  e.object_type = "study";
  e.object_id = "1.2.3";
  e.outcome = "success";
  return e;
}

class AuditServiceTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  MemoryAuditRepository trail_;
  AuditService audit_{trail_, clock_};
};

TEST_F(AuditServiceTest, AnUnstampedEntryGetsTheClocksTime) {
  audit_.Record(Entry("report.sign"), true);
  ASSERT_EQ(trail_.changes.size(), 1u);
  EXPECT_EQ(trail_.changes[0].at, clock_.Now());
  EXPECT_EQ(trail_.changes[0].action, "report.sign");
}

TEST_F(AuditServiceTest, AnEntryThatCarriesItsTimeKeepsIt) {
  AuditEntry e = Entry("report.sign");
  e.at = clock_.Now() - std::chrono::minutes(5);
  audit_.Record(e, true);
  ASSERT_EQ(trail_.changes.size(), 1u);
  EXPECT_EQ(trail_.changes[0].at, e.at);
}

// A read waits in the queue for the writer; it is stamped when it happened, so the trail
// stays in the order of events however late the batch reaches the table.
TEST_F(AuditServiceTest, AQueuedReadKeepsTheTimeItWasRecorded) {
  audit_.Start();
  const TimePoint viewed = clock_.Now();
  audit_.Record(Entry("study.view"), false);
  clock_.Advance(std::chrono::hours(1));
  audit_.Record(Entry("worklist.view"), false);
  audit_.Stop();
  ASSERT_EQ(trail_.reads.size(), 2u);
  EXPECT_EQ(trail_.reads[0].at, viewed);
  EXPECT_EQ(trail_.reads[1].at, viewed + std::chrono::hours(1));
  EXPECT_TRUE(trail_.changes.empty());
}

}  // namespace
}  // namespace telerad
