// AssociationAudit: what the DICOM door writes to the trail, and how a peer that keeps
// being turned away is kept from flooding it.
#include "dicom/association_audit.h"

#include <gtest/gtest.h>

#include "tests/fakes/memory_audit_repository.h"
#include "tests/unit/fake_clock.h"

namespace telerad::dicom {
namespace {

class AssociationAuditTest : public ::testing::Test {
 protected:
  SenderOrigin Peer(const std::string& address) {
    SenderOrigin o;
    o.peer_address = address;
    return o;
  }

  FakeClock clock_;
  MemoryAuditRepository trail_;
  AuditService service_{trail_, clock_};  // not started: reads are written at once
  AssociationAudit audit_{service_};
};

TEST_F(AssociationAuditTest, ADeliveryNamesSenderFacilityPeerAndStudiesDurably) {
  AssociationSummary s;
  s.calling_ae = "TR_ARH01";
  s.facility_code = "ARH01";
  s.origin = Peer("10.1.2.3");
  s.origin.tls = true;
  s.study_uids = {"1.2.3", "1.2.4"};
  s.stored = 7;
  s.duplicates = 1;
  s.failed = 0;
  s.bytes = 4096;
  audit_.Ended(s);
  ASSERT_EQ(trail_.changes.size(), 1u);
  const AuditEntry& e = trail_.changes[0];
  EXPECT_EQ(e.action, "dicom.store");
  EXPECT_EQ(e.username, "TR_ARH01");
  EXPECT_EQ(e.role, "facility");
  EXPECT_EQ(e.object_id, "ARH01");
  EXPECT_EQ(e.remote_addr, "10.1.2.3");
  EXPECT_EQ(e.outcome, "success");
  EXPECT_EQ(e.returned_ids, (std::vector<std::string>{"1.2.3", "1.2.4"}));
  EXPECT_EQ(e.detail, "studies=2 stored=7 duplicates=1 failed=0 bytes=4096 tls=true");

  s.failed = 1;
  audit_.Ended(s);
  EXPECT_EQ(trail_.changes.back().outcome, "invalid");
}

TEST_F(AssociationAuditTest, AHugeDeliveryListsAThousandStudiesAndCountsThemAll) {
  AssociationSummary s;
  s.calling_ae = "MIGRATE";
  for (int i = 0; i < 1500; ++i) s.study_uids.insert("1.2." + std::to_string(i));
  s.stored = 1500;
  audit_.Ended(s);
  ASSERT_EQ(trail_.changes.size(), 1u);
  EXPECT_EQ(trail_.changes[0].returned_ids.size(), AssociationAudit::kMaxListedStudies);
  EXPECT_EQ(trail_.changes[0].detail.rfind("studies=1500 ", 0), 0u);
}

TEST_F(AssociationAuditTest, AHostileAeTitleIsWrittenAsPrintableAscii) {
  audit_.Refused(std::string("EVIL\xff\x01\n", 7), Peer("192.0.2.9"), "not_found", "unknown AE");
  ASSERT_EQ(trail_.reads.size(), 1u);
  EXPECT_EQ(trail_.reads[0].username, "EVIL???");
  EXPECT_EQ(trail_.reads[0].object_id, "EVIL???");
  EXPECT_EQ(trail_.reads[0].action, "dicom.association");
  EXPECT_EQ(trail_.reads[0].outcome, "not_found");
  EXPECT_EQ(trail_.reads[0].detail, "tls=false reason=unknown AE");
}

// A peer reconnecting in a loop gets kRefusalsPerWindow entries, not one per attempt;
// another peer is not affected.
TEST_F(AssociationAuditTest, RefusalsAreLimitedPerPeer) {
  for (int i = 0; i < 50; ++i) audit_.Refused("NOBODY", Peer("192.0.2.9"), "not_found", "x");
  EXPECT_EQ(trail_.reads.size(), static_cast<size_t>(AssociationAudit::kRefusalsPerWindow));
  audit_.Refused("OTHER", Peer("192.0.2.10"), "not_found", "x");
  EXPECT_EQ(trail_.reads.size(), static_cast<size_t>(AssociationAudit::kRefusalsPerWindow) + 1);
  EXPECT_EQ(trail_.reads.back().username, "OTHER");
}

}  // namespace
}  // namespace telerad::dicom
