// FakeReportRepository: reports, addenda and deliveries in memory, for unit tests.
//
// It shares a FakeStudyRepository the way the report table shares the study table: a
// write checks the study's claim there, signing makes the study `reported` and ends its
// claim, an acknowledgement clears its critical flag. The checks run in the order of
// PgReportRepository's, so both give the same ReportWriteBlock for the same state
// (tests/contract/report_repository_contract.h holds them to it). `studies` must outlive
// the fake; times come from its clock. Not thread-safe: unit tests call it from one thread.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "src/reading/report_repository.h"
#include "tests/fakes/fake_audit_log.h"
#include "tests/fakes/fake_study_repository.h"

namespace telerad {

class FakeReportRepository : public ReportRepository {
 public:
  explicit FakeReportRepository(FakeStudyRepository& studies) : studies_(studies) {}

  Result<std::optional<Report>> FindByStudy(const std::string& study_uid) override {
    if (outage) return Status::Unavailable("fake outage");
    auto it = rows_.find(study_uid);
    if (it == rows_.end()) return std::optional<Report>();
    return std::optional<Report>(it->second.report);
  }

  Result<ReportWrite> SaveDraft(const std::string& study_uid, int64_t user_id,
                                std::optional<int> expected_version, const DraftContent& c,
                                std::chrono::seconds lease, AuditEntry& audit) override {
    if (outage) return Status::Unavailable("fake outage");
    ReportWrite out;
    Study* study = Lock(study_uid, out);
    if (!study) return out;
    Row* row = RowOf(study_uid);
    if (!HoldsClaim(*study, user_id)) {
      out.block = ReportWriteBlock::kNotClaimHolder;
      out.holder = Holder(*study);
    } else if (row && row->report.status == ReportStatus::kFinal) {
      out.block = ReportWriteBlock::kAlreadyFinal;
    } else if (row && !expected_version) {
      out.block = ReportWriteBlock::kVersionRequired;
    } else if (expected_version && (!row || *expected_version != row->report.version)) {
      out.block = ReportWriteBlock::kStaleVersion;
    }
    if (out.block != ReportWriteBlock::kNone) return out;
    if (Status appended = audit_log->Append(audit); !appended.ok()) return appended;
    const TimePoint now = Now();
    if (!row) {
      row = &rows_[study_uid];
      row->report.id = next_id_++;
      row->report.study_uid = study_uid;
      row->report.version = 1;
      row->report.created_at = now;
    } else {
      ++row->report.version;
    }
    Report& r = row->report;
    r.findings = c.findings;
    r.impression = c.impression;
    r.icd_codes = c.icd_codes;
    r.critical = c.critical;
    r.author = studies_.UsernameOf(user_id);
    r.updated_at = now;
    study->claim_expires_at = now + lease;
    if (!study->report_status) study->report_status = ReportStatus::kDraft;
    out.report = r;
    out.current_version = r.version;
    return out;
  }

  Result<ReportWrite> Sign(const std::string& study_uid, int64_t user_id,
                           std::optional<int> expected_version, const std::string& sr_series_uid,
                           const std::string& sr_instance_uid, AuditEntry& audit) override {
    if (outage) return Status::Unavailable("fake outage");
    ReportWrite out;
    Study* study = Lock(study_uid, out);
    if (!study) return out;
    Row* row = RowOf(study_uid);
    if (row && row->report.status == ReportStatus::kFinal) {
      out.block = ReportWriteBlock::kAlreadyFinal;
    } else if (!HoldsClaim(*study, user_id)) {
      out.block = ReportWriteBlock::kNotClaimHolder;
      out.holder = Holder(*study);
    } else if (!row) {
      out.block = ReportWriteBlock::kNoDraft;
    } else if (!expected_version) {
      out.block = ReportWriteBlock::kVersionRequired;
    } else if (*expected_version != row->report.version) {
      out.block = ReportWriteBlock::kStaleVersion;
    } else if (row->report.findings.empty() && row->report.impression.empty()) {
      out.block = ReportWriteBlock::kEmpty;
    }
    if (out.block != ReportWriteBlock::kNone) return out;
    if (Status appended = audit_log->Append(audit); !appended.ok()) return appended;
    const TimePoint now = Now();
    Report& r = row->report;
    r.status = ReportStatus::kFinal;
    r.signed_by = studies_.UsernameOf(user_id);
    r.signed_at = now;
    r.updated_at = now;
    row->sr_series_uid = sr_series_uid;
    Queue(*row, *study, sr_instance_uid);
    studies_.EndClaim(*study, StudyStatus::kReported);
    study->reported_at = now;
    study->critical_pending = r.critical;
    study->report_status = ReportStatus::kFinal;
    out.report = r;
    return out;
  }

  Result<ReportWrite> AddAddendum(const std::string& study_uid, int64_t user_id,
                                  const std::string& text, const std::string& sr_instance_uid,
                                  AuditEntry& audit) override {
    if (outage) return Status::Unavailable("fake outage");
    ReportWrite out;
    Study* study = Lock(study_uid, out);
    if (!study) return out;
    Row* row = RowOf(study_uid);
    if (!row) {
      out.block = ReportWriteBlock::kNoDraft;
    } else if (row->report.status != ReportStatus::kFinal) {
      out.block = ReportWriteBlock::kNotFinal;
    }
    if (out.block != ReportWriteBlock::kNone) return out;
    if (Status appended = audit_log->Append(audit); !appended.ok()) return appended;
    Report& r = row->report;
    r.addenda.push_back({text, studies_.UsernameOf(user_id), Now()});
    r.updated_at = Now();
    r.delivery.attempts = 0;
    r.delivery.last_error.clear();
    Queue(*row, *study, sr_instance_uid);
    out.report = r;
    return out;
  }

  Result<bool> AcknowledgeCritical(const std::string& study_uid, int64_t user_id,
                                   AuditEntry& audit) override {
    if (outage) return Status::Unavailable("fake outage");
    auto study = studies_.studies.find(study_uid);
    Row* row = RowOf(study_uid);
    if (study == studies_.studies.end() || !row || row->report.status != ReportStatus::kFinal ||
        !row->report.critical || row->report.critical_acknowledged_at)
      return false;
    if (Status appended = audit_log->Append(audit); !appended.ok()) return appended;
    row->report.critical_acknowledged_by = studies_.UsernameOf(user_id);
    row->report.critical_acknowledged_at = Now();
    study->second.critical_pending = false;
    return true;
  }

  // The due delivery with the earliest due time (ties: the first report).
  Result<std::optional<DeliveryJob>> TakeDueDelivery(std::chrono::seconds hold) override {
    if (outage) return Status::Unavailable("fake outage");
    Row* due = nullptr;
    for (auto& [uid, row] : rows_) {
      const Delivery& d = row.report.delivery;
      if (d.state != DeliveryState::kPending || !d.next_attempt_at || *d.next_attempt_at > Now())
        continue;
      if (!due || *d.next_attempt_at < *due->report.delivery.next_attempt_at) due = &row;
    }
    if (!due) return std::optional<DeliveryJob>();
    due->report.delivery.next_attempt_at = Now() + hold;
    DeliveryJob job;
    job.report_id = due->report.id;
    job.study_uid = due->report.study_uid;
    job.attempts = due->report.delivery.attempts;
    const auto study = studies_.studies.find(due->report.study_uid);
    if (study != studies_.studies.end())
      if (auto f = studies_.FacilityOf(study->second.facility.id); f && f->return_dicom)
        job.to = *f->return_dicom;
    job.sr_series_uid = due->sr_series_uid;
    job.sr_instance_uid = due->sr_instance_uid;
    return std::optional<DeliveryJob>(job);
  }

  Status MarkDelivered(int64_t report_id, const std::string& sr_instance_uid,
                       AuditEntry& audit) override {
    if (outage) return Status::Unavailable("fake outage");
    if (Status appended = audit_log->Append(audit); !appended.ok()) return appended;
    if (Row* row = Pending(report_id, sr_instance_uid)) {
      Delivery& d = row->report.delivery;
      d.state = DeliveryState::kDelivered;
      d.delivered_at = Now();
      ++d.attempts;
      d.last_error.clear();
      d.next_attempt_at.reset();
    }
    return Status::Ok();
  }

  Status MarkUndeliverable(int64_t report_id, const std::string& sr_instance_uid,
                           const std::string& reason) override {
    if (outage) return Status::Unavailable("fake outage");
    if (Row* row = Pending(report_id, sr_instance_uid)) {
      Delivery& d = row->report.delivery;
      d.state = DeliveryState::kNone;
      d.next_attempt_at.reset();
      d.last_error = reason;
    }
    return Status::Ok();
  }

  Status MarkDeliveryFailed(int64_t report_id, const std::string& sr_instance_uid,
                            const std::string& error, std::chrono::seconds retry_in,
                            AuditEntry& audit) override {
    if (outage) return Status::Unavailable("fake outage");
    if (Status appended = audit_log->Append(audit); !appended.ok()) return appended;
    if (Row* row = Pending(report_id, sr_instance_uid)) {
      Delivery& d = row->report.delivery;
      ++d.attempts;
      d.last_error = error;
      d.next_attempt_at = Now() + retry_in;
    }
    return Status::Ok();
  }

  bool outage = false;
  // Where the changes' audit entries go: the fake's own log unless a test points several
  // fakes at one shared log.
  FakeAuditLog own_audit_log;
  FakeAuditLog* audit_log = &own_audit_log;

 private:
  struct Row {
    Report report;
    std::string sr_series_uid;
    std::string sr_instance_uid;
  };

  TimePoint Now() const { return studies_.clock().Now(); }

  // The study a write is about (the row PostgreSQL would lock), or nullptr with kNoStudy;
  // `out.current_version` is the report's version.
  Study* Lock(const std::string& study_uid, ReportWrite& out) {
    auto it = studies_.studies.find(study_uid);
    if (it == studies_.studies.end()) {
      out.block = ReportWriteBlock::kNoStudy;
      return nullptr;
    }
    if (Row* row = RowOf(study_uid)) out.current_version = row->report.version;
    return &it->second;
  }
  Row* RowOf(const std::string& study_uid) {
    auto it = rows_.find(study_uid);
    return it == rows_.end() ? nullptr : &it->second;
  }
  // Claimed by the user with a lease still running.
  bool HoldsClaim(const Study& s, int64_t user_id) const {
    auto holder = studies_.claimed_by_id.find(s.study_uid);
    return s.status == StudyStatus::kClaimed && holder != studies_.claimed_by_id.end() &&
           holder->second == user_id && !studies_.LeaseRanOut(s);
  }
  // Who holds a running claim, if anyone (an expired lease holds nothing).
  std::optional<std::string> Holder(const Study& s) const {
    auto holder = studies_.claimed_by_id.find(s.study_uid);
    if (s.status != StudyStatus::kClaimed || holder == studies_.claimed_by_id.end() ||
        studies_.LeaseRanOut(s))
      return std::nullopt;
    return studies_.UsernameOf(holder->second);
  }
  // A delivery of `sr_instance_uid` is due now when the facility has a return address.
  void Queue(Row& row, const Study& study, const std::string& sr_instance_uid) {
    row.sr_instance_uid = sr_instance_uid;
    auto f = studies_.FacilityOf(study.facility.id);
    Delivery& d = row.report.delivery;
    d.state = f && f->return_dicom ? DeliveryState::kPending : DeliveryState::kNone;
    d.next_attempt_at =
        d.state == DeliveryState::kPending ? std::optional<TimePoint>(Now()) : std::nullopt;
  }
  // The report's delivery, if it is pending for this very SR instance.
  Row* Pending(int64_t report_id, const std::string& sr_instance_uid) {
    for (auto& [uid, row] : rows_)
      if (row.report.id == report_id && row.sr_instance_uid == sr_instance_uid &&
          row.report.delivery.state == DeliveryState::kPending)
        return &row;
    return nullptr;
  }

  FakeStudyRepository& studies_;
  std::map<std::string, Row> rows_;  // by study UID
  int64_t next_id_ = 1;
};

}  // namespace telerad
