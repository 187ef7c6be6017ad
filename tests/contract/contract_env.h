// What the repository contract suites (tests/contract/*_contract.h) need from the
// implementation they run against, after orthanc-databases' IndexUnitTests.h: the same
// typed cases run on the fakes in the unit test binary and on PostgreSQL in the
// integration test binary, so a fake cannot drift from the real repository.
//
// An environment `Env` is a class, default-constructed afresh for every case (a new
// database for PostgreSQL, new fakes otherwise), with:
//   StudyRepository& studies();  ReportRepository& reports();
//   FacilityRepository& facilities();
//   int64_t AddUser(const std::string& username, const std::string& role,
//                   std::optional<int64_t> facility_id);  // the new account's id
// and, for ConsultationRepositoryContract, ConsultationRepository& consultations(), for
// TemplateRepositoryContract TemplateRepository& templates(), for
// CodeListRepositoryContract CodeListRepository& code_lists(), and
// for the audit cases:
//   std::vector<AuditEntry> AuditTrail();  // every entry appended so far, oldest first
//   void FailAuditAppends();  // from now on every audit append fails, as an insert the
//                             // database refuses (a full disk, a constraint, a trigger)
// Time is never moved by hand: PostgreSQL reads its own clock, the fakes a FakeClock that
// stands still, so every case holds whether or not time passes between two calls (a lease
// of 0 s has run out at once on both; a deadline moves only through the SLA targets).
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "src/index/facility_repository.h"
#include "src/index/study_repository.h"
#include "src/reading/report_repository.h"
#include "tests/test_audit.h"

namespace telerad::contract {

using std::chrono::hours;
using std::chrono::seconds;

// The fixture every contract derives from: an environment and two facilities, A and B of
// aimag Увс, with helpers to index instances and to bring a study to a given state.
template <typename Env>
class RepositoryContract : public ::testing::Test {
 protected:
  void SetUp() override {
    Facility f;
    f.code = "A";
    f.name = "Facility A";
    f.aimag = "Увс";
    f.ae_title = "A_SCU";
    auto a = env_.facilities().Create(f, Audit());
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    facility_ = *a;
    f.code = "B";
    f.name = "Facility B";
    f.ae_title = "B_SCU";
    auto b = env_.facilities().Create(f, Audit());
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    other_ = *b;
  }

  // An entry as the HTTP door hands one down with a change.
  static AuditEntry Entry(const std::string& action, const std::string& object_id) {
    AuditEntry e;
    e.username = "contract";
    e.role = "radiologist";
    e.action = action;
    e.object_type = "study";
    e.object_id = object_id;
    e.remote_addr = "192.0.2.1";
    e.outcome = "success";
    return e;
  }
  // The trail's entries for `action`, oldest first.
  std::vector<AuditEntry> Trail(const std::string& action) {
    std::vector<AuditEntry> out;
    for (const AuditEntry& e : env_.AuditTrail())
      if (e.action == action) out.push_back(e);
    return out;
  }

  StudyRepository& studies() { return env_.studies(); }
  ReportRepository& reports() { return env_.reports(); }

  int64_t Radiologist(const std::string& username) {
    return env_.AddUser(username, "radiologist", std::nullopt);
  }

  // An instance of `study` from facility A; `series` and `sop` are suffixes of the UID.
  InstanceRecord Record(const std::string& study, const std::string& series = "1",
                        const std::string& sop = "1", const std::string& modality = "CT") {
    InstanceRecord r;
    r.facility_id = facility_.id;
    r.header.study_uid = study;
    r.header.series_uid = study + "." + series;
    r.header.sop_instance_uid = study + "." + series + "." + sop;
    r.header.sop_class_uid = "1.2.840.10008.5.1.4.1.1.2";
    r.header.transfer_syntax_uid = "1.2.840.10008.1.2.1";
    r.header.modality = modality;
    r.modality_class = ClassifyModality(modality);
    r.storage_key = study + "/" + r.header.sop_instance_uid + ".dcm";
    r.size_bytes = 1000;
    return r;
  }

  // Indexes `r`, the file keeping its planned key; the study id.
  int64_t Index(const InstanceRecord& r) {
    auto outcome = studies().IndexInstance(r, [&r] { return Result<std::string>(r.storage_key); });
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    return outcome.ok() ? outcome->study_id : 0;
  }

  // Indexes one instance of each study (facility A unless `facility`) and makes them all
  // ready at once; they share ready_at, so their deadlines differ only by priority.
  void Ready(const std::vector<std::string>& uids, std::optional<int64_t> facility = {}) {
    for (const std::string& uid : uids) {
      InstanceRecord r = Record(uid);
      if (facility) r.facility_id = *facility;
      Index(r);
    }
    auto moved = studies().PromoteStableStudies(std::chrono::seconds(0), SlaTargets{});
    ASSERT_TRUE(moved.ok()) << moved.status().ToString();
    ASSERT_EQ(*moved, static_cast<int>(uids.size()));
  }

  // Claims, drafts and signs `uid` as `user`; `critical` marks the finding critical.
  void Reported(const std::string& uid, int64_t user, bool critical = false) {
    auto claim = studies().Claim(uid, user, std::chrono::seconds(3600), Audit());
    ASSERT_TRUE(claim.ok() && claim->claimed);
    DraftContent c;
    c.findings = "findings";
    c.critical = critical;
    auto draft =
        reports().SaveDraft(uid, user, std::nullopt, c, std::chrono::seconds(3600), Audit());
    ASSERT_TRUE(draft.ok() && draft->block == ReportWriteBlock::kNone);
    auto signed_ = reports().Sign(uid, user, draft->current_version, "2.25.1", "2.25.2", Audit());
    ASSERT_TRUE(signed_.ok() && signed_->block == ReportWriteBlock::kNone);
  }

  Study Find(const std::string& uid) {
    auto s = studies().FindStudy(uid);
    EXPECT_TRUE(s.ok() && s->has_value()) << uid;
    return s.ok() && s->has_value() ? **s : Study{};
  }

  // Every page of `q` from its first, followed by cursor; the UIDs in order.
  std::vector<std::string> AllPages(StudyQuery q) {
    std::vector<std::string> uids;
    for (int page = 0; page < 20; ++page) {
      auto result = studies().ListStudies(q);
      EXPECT_TRUE(result.ok()) << result.status().ToString();
      if (!result.ok()) break;
      for (const Study& s : result->items) uids.push_back(s.study_uid);
      if (!result->next_cursor) break;
      q.cursor = result->next_cursor;
    }
    return uids;
  }

  Env env_;
  Facility facility_, other_;
};

}  // namespace telerad::contract
