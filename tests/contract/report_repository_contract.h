// The ReportRepository contract (src/reading/report_repository.h): who may write a draft,
// versions, signing, addenda, critical acknowledgements and the delivery queue, each
// answered with the ReportWriteBlock the service turns into a status. Instantiate with an
// environment (contract_env.h):
//   INSTANTIATE_TYPED_TEST_SUITE_P(FakeReports, ReportRepositoryContract, FakeEnv);
#pragma once

#include <string>

#include "tests/contract/contract_env.h"
#include "tests/test_audit.h"

namespace telerad::contract {

template <typename Env>
class ReportRepositoryContract : public RepositoryContract<Env> {
 protected:
  void SetUp() override {
    RepositoryContract<Env>::SetUp();
    rad1_ = this->Radiologist("rad1");
    rad2_ = this->Radiologist("rad2");
  }

  // A ready study of facility A claimed by rad1 for an hour.
  void Claimed(const std::string& uid) {
    this->Ready({uid});
    auto claim = this->studies().Claim(uid, rad1_, std::chrono::seconds(3600), Audit());
    ASSERT_TRUE(claim.ok() && claim->claimed);
  }

  Result<ReportWrite> Save(const std::string& uid, std::optional<int> version,
                           const std::string& findings = "no acute finding", int64_t user = 0,
                           bool critical = false) {
    DraftContent c;
    c.findings = findings;
    c.impression = findings.empty() ? "" : "normal";
    c.icd_codes = {"J18.9", "R91"};
    c.critical = critical;
    return this->reports().SaveDraft(uid, user ? user : rad1_, version, c,
                                     std::chrono::seconds(3600), Audit());
  }

  Result<ReportWrite> SignAt(const std::string& uid, std::optional<int> version, int64_t user = 0) {
    return this->reports().Sign(uid, user ? user : rad1_, version, "2.25.10", "2.25.11", Audit());
  }

  // A final report on `uid` (facility A, or `facility`), signed by rad1.
  void Signed(const std::string& uid, bool critical = false,
              std::optional<int64_t> facility = std::nullopt) {
    this->Ready({uid}, facility);
    ASSERT_TRUE(this->studies().Claim(uid, rad1_, std::chrono::seconds(3600), Audit())->claimed);
    auto draft = Save(uid, std::nullopt, "findings", rad1_, critical);
    ASSERT_TRUE(draft.ok() && draft->block == ReportWriteBlock::kNone);
    auto done = SignAt(uid, draft->current_version);
    ASSERT_TRUE(done.ok() && done->block == ReportWriteBlock::kNone);
  }

  // A facility whose PACS takes the reports back.
  Facility WithReturnAddress() {
    Facility f;
    f.code = "C";
    f.name = "Facility C";
    f.aimag = "Ховд";
    f.ae_title = "C_SCU";
    f.return_dicom = ReturnDicom{"pacs.example", 11112, "C_PACS"};
    auto created = this->env_.facilities().Create(f, Audit());
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : f;
  }

  static ReportWriteBlock BlockOf(const Result<ReportWrite>& w) {
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    return w.ok() ? w->block : ReportWriteBlock::kNone;
  }

  int64_t rad1_ = 0, rad2_ = 0;
};
TYPED_TEST_SUITE_P(ReportRepositoryContract);

TYPED_TEST_P(ReportRepositoryContract, FirstSaveCreatesVersionOneAndRenewsTheClaim) {
  this->Ready({"1.1"});
  auto claim = this->studies().Claim("1.1", this->rad1_, seconds(60), Audit());
  ASSERT_TRUE(claim.ok() && claim->claimed);
  EXPECT_FALSE(this->reports().FindByStudy("1.1")->has_value());
  auto w = this->Save("1.1", std::nullopt);
  ASSERT_EQ(this->BlockOf(w), ReportWriteBlock::kNone);
  EXPECT_EQ(w->current_version, 1);
  ASSERT_TRUE(w->report.has_value());
  const Report& r = *w->report;
  EXPECT_EQ(r.study_uid, "1.1");
  EXPECT_EQ(r.status, ReportStatus::kDraft);
  EXPECT_EQ(r.version, 1);
  EXPECT_EQ(r.findings, "no acute finding");
  EXPECT_EQ(r.impression, "normal");
  EXPECT_EQ(r.icd_codes, (std::vector<std::string>{"J18.9", "R91"}));
  EXPECT_EQ(r.author, "rad1");
  EXPECT_FALSE(r.signed_by || r.signed_at);
  const Study s = this->Find("1.1");
  EXPECT_EQ(s.report_status, ReportStatus::kDraft);
  ASSERT_TRUE(s.claim_expires_at && claim->expires_at);
  EXPECT_GE(*s.claim_expires_at - *claim->expires_at, seconds(3600 - 60));  // renewed
  auto found = this->reports().FindByStudy("1.1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->version, 1);
  EXPECT_EQ((*found)->id, r.id);
}

TYPED_TEST_P(ReportRepositoryContract, EachSaveAtTheCurrentVersionBumpsIt) {
  this->Claimed("1.2");
  ASSERT_EQ(this->Save("1.2", std::nullopt)->current_version, 1);
  auto second = this->Save("1.2", 1, "changed");
  ASSERT_EQ(this->BlockOf(second), ReportWriteBlock::kNone);
  EXPECT_EQ(second->current_version, 2);
  EXPECT_EQ(second->report->version, 2);
  EXPECT_EQ(second->report->findings, "changed");
  EXPECT_EQ((*this->reports().FindByStudy("1.2"))->findings, "changed");
}

TYPED_TEST_P(ReportRepositoryContract, OnlyTheClaimHolderSavesADraft) {
  this->Ready({"1.3"});
  auto unclaimed = this->Save("1.3", std::nullopt);
  EXPECT_EQ(this->BlockOf(unclaimed), ReportWriteBlock::kNotClaimHolder);
  EXPECT_FALSE(unclaimed->holder.has_value());
  ASSERT_TRUE(this->studies().Claim("1.3", this->rad2_, seconds(3600), Audit())->claimed);
  auto other = this->Save("1.3", std::nullopt);
  EXPECT_EQ(this->BlockOf(other), ReportWriteBlock::kNotClaimHolder);
  EXPECT_EQ(other->holder, "rad2");
  EXPECT_FALSE(this->reports().FindByStudy("1.3")->has_value());
}

TYPED_TEST_P(ReportRepositoryContract, ALapsedLeaseNoLongerAllowsSaving) {
  this->Ready({"1.4"});
  ASSERT_TRUE(this->studies().Claim("1.4", this->rad1_, seconds(0), Audit())->claimed);
  auto w = this->Save("1.4", std::nullopt);
  EXPECT_EQ(this->BlockOf(w), ReportWriteBlock::kNotClaimHolder);
  EXPECT_FALSE(w->holder.has_value());  // a lapsed lease holds nothing
}

TYPED_TEST_P(ReportRepositoryContract, ASaveOverADraftNeedsTheCurrentVersion) {
  this->Claimed("1.5");
  ASSERT_EQ(this->BlockOf(this->Save("1.5", std::nullopt)), ReportWriteBlock::kNone);
  auto missing = this->Save("1.5", std::nullopt, "other tab");
  EXPECT_EQ(this->BlockOf(missing), ReportWriteBlock::kVersionRequired);
  EXPECT_EQ(missing->current_version, 1);
  ASSERT_EQ(this->BlockOf(this->Save("1.5", 1, "second")), ReportWriteBlock::kNone);
  auto stale = this->Save("1.5", 1, "other tab");
  EXPECT_EQ(this->BlockOf(stale), ReportWriteBlock::kStaleVersion);
  EXPECT_EQ(stale->current_version, 2);
  EXPECT_FALSE(stale->report.has_value());
  EXPECT_EQ((*this->reports().FindByStudy("1.5"))->findings, "second");
}

TYPED_TEST_P(ReportRepositoryContract, AVersionForAReportNotYetWrittenIsStale) {
  this->Claimed("1.6");
  auto w = this->Save("1.6", 3);
  EXPECT_EQ(this->BlockOf(w), ReportWriteBlock::kStaleVersion);
  EXPECT_EQ(w->current_version, 0);
  EXPECT_FALSE(this->reports().FindByStudy("1.6")->has_value());
}

TYPED_TEST_P(ReportRepositoryContract, WritesOnAnUnknownStudyAreNoStudy) {
  EXPECT_EQ(this->BlockOf(this->Save("9.9", std::nullopt)), ReportWriteBlock::kNoStudy);
  EXPECT_EQ(this->BlockOf(this->SignAt("9.9", 1)), ReportWriteBlock::kNoStudy);
  EXPECT_EQ(this->BlockOf(this->reports().AddAddendum("9.9", this->rad1_, "x", "2.25.3", Audit())),
            ReportWriteBlock::kNoStudy);
  auto ack = this->reports().AcknowledgeCritical("9.9", this->rad1_, Audit());
  ASSERT_TRUE(ack.ok());
  EXPECT_FALSE(*ack);
  auto found = this->reports().FindByStudy("9.9");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
}

TYPED_TEST_P(ReportRepositoryContract, SigningNeedsTheClaimADraftItsVersionAndText) {
  this->Ready({"2.1"});
  EXPECT_EQ(this->BlockOf(this->SignAt("2.1", 1)), ReportWriteBlock::kNotClaimHolder);
  ASSERT_TRUE(this->studies().Claim("2.1", this->rad1_, seconds(3600), Audit())->claimed);
  EXPECT_EQ(this->BlockOf(this->SignAt("2.1", 1)), ReportWriteBlock::kNoDraft);
  ASSERT_EQ(this->BlockOf(this->Save("2.1", std::nullopt, "")), ReportWriteBlock::kNone);
  EXPECT_EQ(this->BlockOf(this->SignAt("2.1", std::nullopt)), ReportWriteBlock::kVersionRequired);
  auto stale = this->SignAt("2.1", 7);
  EXPECT_EQ(this->BlockOf(stale), ReportWriteBlock::kStaleVersion);
  EXPECT_EQ(stale->current_version, 1);
  EXPECT_EQ(this->BlockOf(this->SignAt("2.1", 1)), ReportWriteBlock::kEmpty);
  EXPECT_EQ(this->BlockOf(this->SignAt("2.1", 1, this->rad2_)), ReportWriteBlock::kNotClaimHolder);
  EXPECT_EQ((*this->reports().FindByStudy("2.1"))->status, ReportStatus::kDraft);
  EXPECT_EQ(this->Find("2.1").status, StudyStatus::kClaimed);
}

TYPED_TEST_P(ReportRepositoryContract, SigningMakesTheReportFinalAndTheStudyReported) {
  this->Claimed("2.2");
  ASSERT_EQ(this->BlockOf(this->Save("2.2", std::nullopt)), ReportWriteBlock::kNone);
  auto w = this->SignAt("2.2", 1);
  ASSERT_EQ(this->BlockOf(w), ReportWriteBlock::kNone);
  ASSERT_TRUE(w->report.has_value());
  EXPECT_EQ(w->report->status, ReportStatus::kFinal);
  EXPECT_EQ(w->report->signed_by, "rad1");
  EXPECT_TRUE(w->report->signed_at.has_value());
  EXPECT_EQ(w->report->delivery.state, DeliveryState::kNone);  // A has no return address
  const Study s = this->Find("2.2");
  EXPECT_EQ(s.status, StudyStatus::kReported);
  EXPECT_TRUE(s.reported_at.has_value());
  EXPECT_FALSE(s.claimed_by || s.claim_expires_at);  // the claim ended with the signature
  EXPECT_EQ(s.report_status, ReportStatus::kFinal);
  EXPECT_FALSE(s.critical_pending);
  EXPECT_EQ(*this->studies().ExpireClaims(), 0);
  auto stored = this->reports().FindByStudy("2.2");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->status, ReportStatus::kFinal);
  EXPECT_EQ((*stored)->signed_at, w->report->signed_at);
}

TYPED_TEST_P(ReportRepositoryContract, ASignedReportIsFinal) {
  this->Signed("2.3");
  EXPECT_EQ(this->BlockOf(this->SignAt("2.3", 1)), ReportWriteBlock::kAlreadyFinal);
  // The claim ended with the signature: a save is refused for that first.
  EXPECT_EQ(this->BlockOf(this->Save("2.3", 1)), ReportWriteBlock::kNotClaimHolder);
  const Report r = **this->reports().FindByStudy("2.3");
  EXPECT_EQ(r.findings, "findings");
  EXPECT_EQ(r.version, 1);
}

TYPED_TEST_P(ReportRepositoryContract, ACriticalSignatureFlagsTheStudyUntilAcknowledged) {
  this->Signed("3.1", /*critical=*/true);
  EXPECT_TRUE(this->Find("3.1").critical_pending);
  auto ack = this->reports().AcknowledgeCritical("3.1", this->rad2_, Audit());
  ASSERT_TRUE(ack.ok());
  EXPECT_TRUE(*ack);
  EXPECT_FALSE(this->Find("3.1").critical_pending);
  const Report r = **this->reports().FindByStudy("3.1");
  EXPECT_EQ(r.critical_acknowledged_by, "rad2");
  EXPECT_TRUE(r.critical_acknowledged_at.has_value());
  EXPECT_FALSE(*this->reports().AcknowledgeCritical("3.1", this->rad1_, Audit()));  // only once
  EXPECT_EQ((**this->reports().FindByStudy("3.1")).critical_acknowledged_by, "rad2");
}

TYPED_TEST_P(ReportRepositoryContract, OnlyAFinalCriticalReportIsAcknowledged) {
  this->Signed("3.2", /*critical=*/false);
  EXPECT_FALSE(*this->reports().AcknowledgeCritical("3.2", this->rad1_, Audit()));
  this->Claimed("3.3");
  ASSERT_EQ(this->BlockOf(this->Save("3.3", std::nullopt, "f", this->rad1_, /*critical=*/true)),
            ReportWriteBlock::kNone);
  EXPECT_FALSE(*this->reports().AcknowledgeCritical("3.3", this->rad1_, Audit()));  // still a draft
  EXPECT_FALSE(this->Find("3.3").critical_pending);
}

TYPED_TEST_P(ReportRepositoryContract, AddendaGoOnlyOnFinalReportsByAnyRadiologist) {
  this->Claimed("4.1");
  EXPECT_EQ(this->BlockOf(this->reports().AddAddendum("4.1", this->rad1_, "x", "2.25.3", Audit())),
            ReportWriteBlock::kNoDraft);
  ASSERT_EQ(this->BlockOf(this->Save("4.1", std::nullopt)), ReportWriteBlock::kNone);
  auto draft = this->reports().AddAddendum("4.1", this->rad1_, "x", "2.25.3", Audit());
  EXPECT_EQ(this->BlockOf(draft), ReportWriteBlock::kNotFinal);
  EXPECT_EQ(draft->current_version, 1);
  ASSERT_EQ(this->BlockOf(this->SignAt("4.1", 1)), ReportWriteBlock::kNone);
  ASSERT_EQ(
      this->BlockOf(this->reports().AddAddendum("4.1", this->rad2_, "first", "2.25.4", Audit())),
      ReportWriteBlock::kNone);
  auto w = this->reports().AddAddendum("4.1", this->rad1_, "second", "2.25.5", Audit());
  ASSERT_EQ(this->BlockOf(w), ReportWriteBlock::kNone);
  ASSERT_EQ(w->report->addenda.size(), 2u);
  EXPECT_EQ(w->report->addenda[0].text, "first");
  EXPECT_EQ(w->report->addenda[0].author, "rad2");
  EXPECT_EQ(w->report->addenda[1].text, "second");
  const Report stored = **this->reports().FindByStudy("4.1");
  ASSERT_EQ(stored.addenda.size(), 2u);
  EXPECT_EQ(stored.addenda[1].author, "rad1");
  EXPECT_EQ(stored.findings, "no acute finding");  // the signed text is untouched
  EXPECT_EQ(stored.status, ReportStatus::kFinal);
}

TYPED_TEST_P(ReportRepositoryContract, ASignatureQueuesDeliveryToAFacilityWithAReturnAddress) {
  const Facility c = this->WithReturnAddress();
  this->Signed("5.1", false, c.id);
  EXPECT_EQ((**this->reports().FindByStudy("5.1")).delivery.state, DeliveryState::kPending);
  auto job = this->reports().TakeDueDelivery(seconds(300));
  ASSERT_TRUE(job.ok() && job->has_value());
  EXPECT_EQ((*job)->study_uid, "5.1");
  EXPECT_EQ((*job)->attempts, 0);
  EXPECT_EQ((*job)->to.host, "pacs.example");
  EXPECT_EQ((*job)->to.port, 11112);
  EXPECT_EQ((*job)->to.ae_title, "C_PACS");
  EXPECT_EQ((*job)->sr_series_uid, "2.25.10");
  EXPECT_EQ((*job)->sr_instance_uid, "2.25.11");
  // Held: nobody else takes it meanwhile.
  EXPECT_FALSE(this->reports().TakeDueDelivery(seconds(300))->has_value());
  ASSERT_TRUE(this->reports().MarkDelivered((*job)->report_id, "2.25.11", Audit()).ok());
  const Delivery d = (**this->reports().FindByStudy("5.1")).delivery;
  EXPECT_EQ(d.state, DeliveryState::kDelivered);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_TRUE(d.delivered_at.has_value());
  EXPECT_FALSE(d.next_attempt_at.has_value());
}

TYPED_TEST_P(ReportRepositoryContract, AFailedAttemptIsCountedAndRetried) {
  const Facility c = this->WithReturnAddress();
  this->Signed("5.2", false, c.id);
  auto job = this->reports().TakeDueDelivery(seconds(300));
  ASSERT_TRUE(job.ok() && job->has_value());
  ASSERT_TRUE(
      this->reports()
          .MarkDeliveryFailed((*job)->report_id, "2.25.11", "refused", seconds(3600), Audit())
          .ok());
  Delivery d = (**this->reports().FindByStudy("5.2")).delivery;
  EXPECT_EQ(d.state, DeliveryState::kPending);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.last_error, "refused");
  EXPECT_FALSE(this->reports().TakeDueDelivery(seconds(300))->has_value());  // not yet due
  ASSERT_TRUE(this->reports()
                  .MarkDeliveryFailed((*job)->report_id, "2.25.11", "again", seconds(0), Audit())
                  .ok());
  auto retry = this->reports().TakeDueDelivery(seconds(300));
  ASSERT_TRUE(retry.ok() && retry->has_value());
  EXPECT_EQ((*retry)->attempts, 2);
}

TYPED_TEST_P(ReportRepositoryContract, AnAddendumSupersedesTheDeliveryInFlight) {
  const Facility c = this->WithReturnAddress();
  this->Signed("5.3", false, c.id);
  auto job = this->reports().TakeDueDelivery(seconds(300));
  ASSERT_TRUE(job.ok() && job->has_value());
  ASSERT_EQ(
      this->BlockOf(this->reports().AddAddendum("5.3", this->rad1_, "late", "2.25.20", Audit())),
      ReportWriteBlock::kNone);
  // The old instance's acknowledgement is ignored: the new one is still due.
  ASSERT_TRUE(this->reports().MarkDelivered((*job)->report_id, "2.25.11", Audit()).ok());
  EXPECT_EQ((**this->reports().FindByStudy("5.3")).delivery.state, DeliveryState::kPending);
  auto next = this->reports().TakeDueDelivery(seconds(300));
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->sr_instance_uid, "2.25.20");
  EXPECT_EQ((*next)->sr_series_uid, "2.25.10");  // the same SR series
  EXPECT_EQ((*next)->attempts, 0);
}

TYPED_TEST_P(ReportRepositoryContract, AnUndeliverableReportIsDroppedWithItsReason) {
  const Facility c = this->WithReturnAddress();
  this->Signed("5.4", false, c.id);
  auto job = this->reports().TakeDueDelivery(seconds(0));
  ASSERT_TRUE(job.ok() && job->has_value());
  ASSERT_TRUE(
      this->reports().MarkUndeliverable((*job)->report_id, "2.25.11", "no return address").ok());
  const Delivery d = (**this->reports().FindByStudy("5.4")).delivery;
  EXPECT_EQ(d.state, DeliveryState::kNone);
  EXPECT_EQ(d.last_error, "no return address");
  EXPECT_FALSE(this->reports().TakeDueDelivery(seconds(0))->has_value());
}

TYPED_TEST_P(ReportRepositoryContract, NothingIsDueWithoutAReturnAddress) {
  this->Signed("5.5");
  auto job = this->reports().TakeDueDelivery(seconds(300));
  ASSERT_TRUE(job.ok());
  EXPECT_FALSE(job->has_value());
}

// A signature and its audit entry commit together; a stale one appends nothing; an audit
// insert that fails leaves the report a draft and the study claimed.
TYPED_TEST_P(ReportRepositoryContract, ASignatureAndItsAuditEntryCommitTogether) {
  this->Claimed("7.40");
  auto draft = this->Save("7.40", std::nullopt);
  ASSERT_EQ(this->BlockOf(draft), ReportWriteBlock::kNone);
  AuditEntry stale = this->Entry("report.sign", "7.40");
  auto refused = this->reports().Sign("7.40", this->rad1_, draft->current_version + 1, "2.25.40",
                                      "2.25.41", stale);
  ASSERT_EQ(this->BlockOf(refused), ReportWriteBlock::kStaleVersion);
  EXPECT_EQ(stale.id, 0);
  EXPECT_TRUE(this->Trail("report.sign").empty());

  this->env_.FailAuditAppends();
  AuditEntry failing = this->Entry("report.sign", "7.40");
  EXPECT_FALSE(this->reports()
                   .Sign("7.40", this->rad1_, draft->current_version, "2.25.40", "2.25.41", failing)
                   .ok());
  auto report = this->reports().FindByStudy("7.40");
  ASSERT_TRUE(report.ok() && report->has_value());
  EXPECT_EQ((*report)->status, ReportStatus::kDraft);
  EXPECT_EQ(this->Find("7.40").status, StudyStatus::kClaimed);
  EXPECT_TRUE(this->Trail("report.sign").empty());
}

TYPED_TEST_P(ReportRepositoryContract, EachReportWriteAppendsItsEntry) {
  this->Claimed("7.41");
  AuditEntry saved = this->Entry("report.save", "7.41");
  DraftContent c;
  c.findings = "findings";
  auto draft = this->reports().SaveDraft("7.41", this->rad1_, std::nullopt, c,
                                         std::chrono::seconds(3600), saved);
  ASSERT_EQ(this->BlockOf(draft), ReportWriteBlock::kNone);
  AuditEntry signed_ = this->Entry("report.sign", "7.41");
  ASSERT_EQ(this->BlockOf(this->reports().Sign("7.41", this->rad1_, draft->current_version,
                                               "2.25.42", "2.25.43", signed_)),
            ReportWriteBlock::kNone);
  AuditEntry addendum = this->Entry("report.addendum", "7.41");
  ASSERT_EQ(
      this->BlockOf(this->reports().AddAddendum("7.41", this->rad2_, "later", "2.25.44", addendum)),
      ReportWriteBlock::kNone);
  for (const AuditEntry* e : {&saved, &signed_, &addendum}) {
    EXPECT_NE(e->id, 0) << e->action;
    auto trail = this->Trail(e->action);
    ASSERT_EQ(trail.size(), 1u) << e->action;
    EXPECT_EQ(trail[0].id, e->id);
  }
}

REGISTER_TYPED_TEST_SUITE_P(
    ReportRepositoryContract, ASignatureAndItsAuditEntryCommitTogether,
    EachReportWriteAppendsItsEntry, FirstSaveCreatesVersionOneAndRenewsTheClaim,
    EachSaveAtTheCurrentVersionBumpsIt, OnlyTheClaimHolderSavesADraft,
    ALapsedLeaseNoLongerAllowsSaving, ASaveOverADraftNeedsTheCurrentVersion,
    AVersionForAReportNotYetWrittenIsStale, WritesOnAnUnknownStudyAreNoStudy,
    SigningNeedsTheClaimADraftItsVersionAndText, SigningMakesTheReportFinalAndTheStudyReported,
    ASignedReportIsFinal, ACriticalSignatureFlagsTheStudyUntilAcknowledged,
    OnlyAFinalCriticalReportIsAcknowledged, AddendaGoOnlyOnFinalReportsByAnyRadiologist,
    ASignatureQueuesDeliveryToAFacilityWithAReturnAddress, AFailedAttemptIsCountedAndRetried,
    AnAddendumSupersedesTheDeliveryInFlight, AnUndeliverableReportIsDroppedWithItsReason,
    NothingIsDueWithoutAReturnAddress);

}  // namespace telerad::contract
