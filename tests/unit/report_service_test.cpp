#include "src/reading/report_service.h"

#include <gtest/gtest.h>

#include "src/base/icd_code.h"
#include "tests/test_audit.h"
#include "tests/unit/fake_clock.h"
#include "tests/unit/fakes.h"

namespace telerad {
namespace {

TEST(ValidateDraft, NormalisesIcdCodesAndKeepsTheirOrder) {
  DraftContent c;
  c.icd_codes = {" j18.9 ", "CA40.0", "J18.9", "2c25.0&xh7sy1"};
  ASSERT_TRUE(ValidateDraft(c).ok());
  EXPECT_EQ(c.icd_codes, (std::vector<std::string>{"J18.9", "CA40.0", "2C25.0&XH7SY1"}));
}

TEST(ValidateDraft, RefusesBadCodesWithoutEchoingUnsafeText) {
  DraftContent c;
  c.icd_codes = {"<script>alert(1)</script>"};
  Status s = ValidateDraft(c);
  EXPECT_EQ(s.code(), StatusCode::kUnprocessable);
  EXPECT_EQ(s.message().find("<"), std::string::npos);
  c.icd_codes = {"XYZ"};
  s = ValidateDraft(c);
  EXPECT_NE(s.message().find("XYZ"), std::string::npos);  // a short, safe code is named
}

TEST(ValidateDraft, LimitsSizes) {
  DraftContent c;
  c.findings = std::string(kMaxReportTextBytes + 1, 'x');
  EXPECT_EQ(ValidateDraft(c).code(), StatusCode::kUnprocessable);
  c.findings.clear();
  c.icd_codes.assign(kMaxIcdCodes + 1, "J18.9");
  EXPECT_EQ(ValidateDraft(c).code(), StatusCode::kUnprocessable);
}

// The service's rules on the fakes: a study of facility A, ready and claimed by rad1 for
// the configured 30-minute lease.
class ReportServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Facility f;
    f.code = "A";
    f.ae_title = "A_SCU";
    facility_a_ = *facilities_.Create(f, Audit());
    f.code = "B";
    f.ae_title = "B_SCU";
    facility_b_ = *facilities_.Create(f, Audit());
    rad1_ = User(1, "rad1", Role::kRadiologist);
    rad2_ = User(2, "rad2", Role::kRadiologist);
    fac_a_ = User(10, "fac_a", Role::kFacility, facility_a_.id);
    fac_b_ = User(11, "fac_b", Role::kFacility, facility_b_.id);
    InstanceRecord r;
    r.facility_id = facility_a_.id;
    r.header.study_uid = kStudy;
    r.header.series_uid = "1.2.3.1";
    r.header.sop_instance_uid = "1.2.3.1.1";
    ASSERT_TRUE(studies_.IndexInstance(r, [] { return Result<std::string>("k"); }).ok());
    ASSERT_EQ(*studies_.PromoteStableStudies(std::chrono::seconds(0), SlaTargets{}), 1);
    ASSERT_TRUE(studies_.Claim(kStudy, rad1_.user_id, kLease, Audit())->claimed);
  }

  Principal User(int64_t id, const std::string& name, Role role,
                 std::optional<int64_t> facility = std::nullopt) {
    studies_.usernames[id] = name;
    return Principal{id, name, role, facility};
  }

  static DraftContent Text(const std::string& findings, bool critical = false) {
    DraftContent c;
    c.findings = findings;
    c.icd_codes = {"j18.9"};
    c.critical = critical;
    return c;
  }

  // rad1's draft at version 1, signed.
  void SignedByRad1(bool critical = false) {
    ASSERT_TRUE(
        service_.SaveDraft(rad1_, kStudy, std::nullopt, Text("pneumonia", critical), Audit()).ok());
    ASSERT_TRUE(service_.Sign(rad1_, kStudy, 1, Audit()).ok());
  }

  static constexpr const char* kStudy = "1.2.3";
  static constexpr std::chrono::seconds kLease{1800};
  FakeClock clock_;
  FakeFacilityRepository facilities_;
  FakeStudyRepository studies_{clock_, &facilities_};
  FakeReportRepository reports_{studies_};
  ReportService service_{studies_, reports_, kLease};
  Facility facility_a_, facility_b_;
  Principal rad1_, rad2_, fac_a_, fac_b_;
};

TEST_F(ReportServiceTest, OnlyTheClaimHolderSavesADraft) {
  auto other = service_.SaveDraft(rad2_, kStudy, std::nullopt, Text("x"), Audit());
  EXPECT_EQ(other.status().code(), StatusCode::kConflict);
  EXPECT_NE(other.status().message().find("claimed by rad1"), std::string::npos);
  auto mine = service_.SaveDraft(rad1_, kStudy, std::nullopt, Text("x"), Audit());
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  EXPECT_EQ(mine->version, 1);
  EXPECT_EQ(mine->author, "rad1");
  EXPECT_EQ(mine->icd_codes, (std::vector<std::string>{"J18.9"}));  // normalised first
}

TEST_F(ReportServiceTest, OnlyRadiologistsWriteReports) {
  for (const Principal& who : {fac_a_, User(20, "admin", Role::kAdmin)}) {
    EXPECT_EQ(service_.SaveDraft(who, kStudy, std::nullopt, Text("x"), Audit()).status().code(),
              StatusCode::kPermissionDenied);
    EXPECT_EQ(service_.Sign(who, kStudy, 1, Audit()).status().code(),
              StatusCode::kPermissionDenied);
    EXPECT_EQ(service_.AddAddendum(who, kStudy, "x", Audit()).status().code(),
              StatusCode::kPermissionDenied);
  }
  EXPECT_FALSE(reports_.FindByStudy(kStudy)->has_value());
}

TEST_F(ReportServiceTest, ALapsedLeaseStopsTheDraftAndEverySaveRenewsIt) {
  ASSERT_TRUE(service_.SaveDraft(rad1_, kStudy, std::nullopt, Text("a"), Audit()).ok());
  clock_.Advance(std::chrono::minutes(20));
  ASSERT_TRUE(service_.SaveDraft(rad1_, kStudy, 1, Text("b"), Audit()).ok());  // renews to +30 min
  clock_.Advance(std::chrono::minutes(20));
  ASSERT_TRUE(service_.SaveDraft(rad1_, kStudy, 2, Text("c"), Audit()).ok());
  clock_.Advance(std::chrono::minutes(31));
  auto lapsed = service_.SaveDraft(rad1_, kStudy, 3, Text("d"), Audit());
  EXPECT_EQ(lapsed.status().code(), StatusCode::kConflict);
  EXPECT_NE(lapsed.status().message().find("claim it first"), std::string::npos);
  EXPECT_EQ((*reports_.FindByStudy(kStudy))->findings, "c");
}

TEST_F(ReportServiceTest, AStaleOrMissingVersionIsAFailedPrecondition) {
  ASSERT_TRUE(service_.SaveDraft(rad1_, kStudy, std::nullopt, Text("first"), Audit()).ok());
  auto missing = service_.SaveDraft(rad1_, kStudy, std::nullopt, Text("other tab"), Audit());
  EXPECT_EQ(missing.status().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(service_.SaveDraft(rad1_, kStudy, 1, Text("second"), Audit()).ok());
  auto stale = service_.SaveDraft(rad1_, kStudy, 1, Text("other tab"), Audit());
  EXPECT_EQ(stale.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(stale.status().message().find("version 2"), std::string::npos);
  EXPECT_EQ((*reports_.FindByStudy(kStudy))->findings, "second");
}

TEST_F(ReportServiceTest, SigningNeedsTheVersionTheRadiologistRead) {
  ASSERT_TRUE(service_.SaveDraft(rad1_, kStudy, std::nullopt, Text("first"), Audit()).ok());
  ASSERT_TRUE(service_.SaveDraft(rad1_, kStudy, 1, Text("second"), Audit()).ok());
  EXPECT_EQ(service_.Sign(rad1_, kStudy, std::nullopt, Audit()).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(service_.Sign(rad1_, kStudy, 1, Audit()).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ((*reports_.FindByStudy(kStudy))->status, ReportStatus::kDraft);
}

TEST_F(ReportServiceTest, SigningMakesTheReportFinalAndTheStudyReported) {
  ASSERT_TRUE(service_.SaveDraft(rad1_, kStudy, std::nullopt, Text("pneumonia"), Audit()).ok());
  EXPECT_EQ(service_.Sign(rad2_, kStudy, 1, Audit()).status().code(), StatusCode::kConflict);
  auto signed_ = service_.Sign(rad1_, kStudy, 1, Audit());
  ASSERT_TRUE(signed_.ok()) << signed_.status().ToString();
  EXPECT_EQ(signed_->status, ReportStatus::kFinal);
  EXPECT_EQ(signed_->signed_by, "rad1");
  EXPECT_EQ(signed_->signed_at, clock_.Now());
  const Study s = **studies_.FindStudy(kStudy);
  EXPECT_EQ(s.status, StudyStatus::kReported);
  EXPECT_FALSE(s.claimed_by.has_value());
}

TEST_F(ReportServiceTest, AnEmptyDraftCannotBeSigned) {
  ASSERT_TRUE(service_.SaveDraft(rad1_, kStudy, std::nullopt, Text(""), Audit()).ok());
  EXPECT_EQ(service_.Sign(rad1_, kStudy, 1, Audit()).status().code(), StatusCode::kUnprocessable);
  EXPECT_EQ((**studies_.FindStudy(kStudy)).status, StudyStatus::kClaimed);
}

TEST_F(ReportServiceTest, AFinalReportCannotBeChanged) {
  SignedByRad1();
  EXPECT_EQ(service_.SaveDraft(rad1_, kStudy, 1, Text("changed"), Audit()).status().code(),
            StatusCode::kConflict);
  EXPECT_EQ(service_.Sign(rad1_, kStudy, 1, Audit()).status().code(), StatusCode::kConflict);
  EXPECT_EQ((*reports_.FindByStudy(kStudy))->findings, "pneumonia");
}

TEST_F(ReportServiceTest, AddendaGoOnlyOnFinalReports) {
  auto none = service_.AddAddendum(rad1_, kStudy, "too early", Audit());
  EXPECT_EQ(none.status().code(), StatusCode::kConflict);
  ASSERT_TRUE(service_.SaveDraft(rad1_, kStudy, std::nullopt, Text("pneumonia"), Audit()).ok());
  auto draft = service_.AddAddendum(rad1_, kStudy, "too early", Audit());
  EXPECT_EQ(draft.status().code(), StatusCode::kConflict);
  EXPECT_NE(draft.status().message().find("not signed"), std::string::npos);
  ASSERT_TRUE(service_.Sign(rad1_, kStudy, 1, Audit()).ok());
  auto added = service_.AddAddendum(rad2_, kStudy, "  also a rib fracture \n", Audit());
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  ASSERT_EQ(added->addenda.size(), 1u);
  EXPECT_EQ(added->addenda[0].text, "also a rib fracture");
  EXPECT_EQ(added->addenda[0].author, "rad2");
}

TEST_F(ReportServiceTest, AnAddendumMustHoldTextWithinTheLimit) {
  SignedByRad1();
  EXPECT_EQ(service_.AddAddendum(rad1_, kStudy, " \t ", Audit()).status().code(),
            StatusCode::kUnprocessable);
  EXPECT_EQ(service_.AddAddendum(rad1_, kStudy, std::string(kMaxAddendumBytes + 1, 'x'), Audit())
                .status()
                .code(),
            StatusCode::kUnprocessable);
  EXPECT_TRUE((*reports_.FindByStudy(kStudy))->addenda.empty());
}

TEST_F(ReportServiceTest, AFacilityReadsOnlyItsOwnSignedReports) {
  ASSERT_TRUE(service_.SaveDraft(rad1_, kStudy, std::nullopt, Text("pneumonia"), Audit()).ok());
  EXPECT_EQ(service_.Get(fac_a_, kStudy).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_.Get(rad2_, kStudy)->status, ReportStatus::kDraft);
  ASSERT_TRUE(service_.Sign(rad1_, kStudy, 1, Audit()).ok());
  auto own = service_.Get(fac_a_, kStudy);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(own->findings, "pneumonia");
  EXPECT_EQ(service_.Get(fac_b_, kStudy).status().code(), StatusCode::kNotFound);
}

TEST_F(ReportServiceTest, OnlyTheStudysFacilityAcknowledgesACriticalFinding) {
  SignedByRad1(/*critical=*/true);
  EXPECT_TRUE((**studies_.FindStudy(kStudy)).critical_pending);
  EXPECT_EQ(service_.AcknowledgeCritical(rad1_, kStudy, Audit()).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_.AcknowledgeCritical(fac_b_, kStudy, Audit()).status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE((**studies_.FindStudy(kStudy)).critical_pending);
  auto acknowledged = service_.AcknowledgeCritical(fac_a_, kStudy, Audit());
  ASSERT_TRUE(acknowledged.ok()) << acknowledged.status().ToString();
  EXPECT_EQ(acknowledged->critical_acknowledged_by, "fac_a");
  EXPECT_FALSE((**studies_.FindStudy(kStudy)).critical_pending);
  EXPECT_EQ(service_.AcknowledgeCritical(fac_a_, kStudy, Audit()).status().code(),
            StatusCode::kConflict);
}

TEST_F(ReportServiceTest, AReportWithoutACriticalFindingHasNothingToAcknowledge) {
  SignedByRad1(/*critical=*/false);
  EXPECT_EQ(service_.AcknowledgeCritical(fac_a_, kStudy, Audit()).status().code(),
            StatusCode::kConflict);
}

TEST_F(ReportServiceTest, MalformedOrUnknownStudiesAreNotFound) {
  for (const std::string uid : {"../etc", "9.9.9"}) {
    EXPECT_EQ(service_.SaveDraft(rad1_, uid, std::nullopt, Text("x"), Audit()).status().code(),
              StatusCode::kNotFound);
    EXPECT_EQ(service_.Sign(rad1_, uid, 1, Audit()).status().code(), StatusCode::kNotFound);
    EXPECT_EQ(service_.AddAddendum(rad1_, uid, "x", Audit()).status().code(),
              StatusCode::kNotFound);
    EXPECT_EQ(service_.Get(rad1_, uid).status().code(), StatusCode::kNotFound);
  }
}

TEST_F(ReportServiceTest, AnInvalidDraftNeverReachesTheRepository) {
  DraftContent bad = Text("x");
  bad.icd_codes = {"XYZ"};
  EXPECT_EQ(service_.SaveDraft(rad1_, kStudy, std::nullopt, bad, Audit()).status().code(),
            StatusCode::kUnprocessable);
  EXPECT_FALSE(reports_.FindByStudy(kStudy)->has_value());
}

TEST_F(ReportServiceTest, AnOutageIsUnavailable) {
  reports_.outage = true;
  EXPECT_EQ(service_.SaveDraft(rad1_, kStudy, std::nullopt, Text("x"), Audit()).status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(service_.Get(rad1_, kStudy).status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace telerad
