#include "src/reading/report_service.h"

#include <algorithm>

#include "src/base/icd_code.h"
#include "src/base/text.h"
#include "src/base/uid.h"
#include "src/index/study_access.h"

namespace telerad {
namespace {

Status RadiologistOnly(const Principal& who, const char* what) {
  if (who.role != Role::kRadiologist)
    return Status::PermissionDenied(std::string("only radiologists ") + what);
  return Status::Ok();
}

}  // namespace

Status ValidateDraft(DraftContent& c) {
  if (c.findings.size() > kMaxReportTextBytes || c.impression.size() > kMaxReportTextBytes)
    return Status::Unprocessable("findings and impression are limited to 64 KiB each");
  return NormaliseIcdCodes(c.icd_codes);
}

ReportService::ReportService(StudyRepository& studies, ReportRepository& reports,
                             std::chrono::seconds claim_lease)
    : studies_(studies), reports_(reports), claim_lease_(claim_lease) {}

Status ReportService::ToStatus(const ReportWrite& w) const {
  switch (w.block) {
    case ReportWriteBlock::kNone:
      return Status::Ok();
    case ReportWriteBlock::kNoStudy:
      return Status::NotFound("no such study");
    case ReportWriteBlock::kNotClaimHolder:
      if (w.holder) return Status::Conflict("study is claimed by " + *w.holder);
      return Status::Conflict("you hold no claim on this study: claim it first");
    case ReportWriteBlock::kNoDraft:
      return Status::Conflict("the study has no report yet");
    case ReportWriteBlock::kNotFinal:
      return Status::Conflict("the report is not signed yet: edit the draft instead");
    case ReportWriteBlock::kAlreadyFinal:
      return Status::Conflict("the report is signed and final: add an addendum");
    case ReportWriteBlock::kStaleVersion:
      return Status::FailedPrecondition("the report is at version " +
                                        std::to_string(w.current_version) +
                                        ": reload it and apply your changes again");
    case ReportWriteBlock::kVersionRequired:
      return Status::FailedPrecondition("a draft exists at version " +
                                        std::to_string(w.current_version) +
                                        ": send the version you read in If-Match (or \"version\")");
    case ReportWriteBlock::kEmpty:
      return Status::Unprocessable("cannot sign an empty report: write findings or impression");
  }
  return Status::Internal("unknown report write outcome");
}

Result<Report> ReportService::Get(const Principal& who, const std::string& study_uid) {
  auto study = VisibleStudy(studies_, who, study_uid);
  if (!study.ok()) return study.status();
  auto report = OfVisibleStudy(who, *study);
  if (!report.ok()) return report.status();
  if (!report->has_value())
    return Status::NotFound(who.role == Role::kFacility ? "the study has no signed report yet"
                                                        : "the study has no report yet");
  return std::move(**report);
}

Result<std::optional<Report>> ReportService::OfVisibleStudy(const Principal& who,
                                                            const Study& study) {
  auto report = reports_.FindByStudy(study.study_uid);
  if (!report.ok()) return report.status();
  if (who.role == Role::kFacility && report->has_value() &&
      (*report)->status != ReportStatus::kFinal)
    return std::optional<Report>();
  return report;
}

Result<Report> ReportService::SaveDraft(const Principal& who, const std::string& study_uid,
                                        std::optional<int> expected_version, DraftContent content,
                                        AuditEntry& audit) {
  if (Status s = RadiologistOnly(who, "write reports"); !s.ok()) return s;
  if (!IsValidUid(study_uid)) return Status::NotFound("no such study");
  if (Status s = ValidateDraft(content); !s.ok()) return s;
  auto write =
      reports_.SaveDraft(study_uid, who.user_id, expected_version, content, claim_lease_, audit);
  if (!write.ok()) return write.status();
  if (Status s = ToStatus(*write); !s.ok()) return s;
  return std::move(*write->report);
}

Result<Report> ReportService::Sign(const Principal& who, const std::string& study_uid,
                                   std::optional<int> expected_version, AuditEntry& audit) {
  if (Status s = RadiologistOnly(who, "sign reports"); !s.ok()) return s;
  if (!IsValidUid(study_uid)) return Status::NotFound("no such study");
  auto write = reports_.Sign(study_uid, who.user_id, expected_version, NewUid(), NewUid(), audit);
  if (!write.ok()) return write.status();
  if (Status s = ToStatus(*write); !s.ok()) return s;
  return std::move(*write->report);
}

Result<Report> ReportService::AddAddendum(const Principal& who, const std::string& study_uid,
                                          const std::string& text, AuditEntry& audit) {
  if (Status s = RadiologistOnly(who, "add addenda"); !s.ok()) return s;
  if (!IsValidUid(study_uid)) return Status::NotFound("no such study");
  const std::string trimmed = Trimmed(text);
  if (trimmed.empty()) return Status::Unprocessable("'text' must not be empty");
  if (trimmed.size() > kMaxAddendumBytes)
    return Status::Unprocessable("an addendum is limited to 16 KiB");
  auto write = reports_.AddAddendum(study_uid, who.user_id, trimmed, NewUid(), audit);
  if (!write.ok()) return write.status();
  if (Status s = ToStatus(*write); !s.ok()) return s;
  return std::move(*write->report);
}

Result<Report> ReportService::AcknowledgeCritical(const Principal& who,
                                                  const std::string& study_uid, AuditEntry& audit) {
  if (who.role != Role::kFacility)
    return Status::PermissionDenied("only the facility's users acknowledge critical findings");
  auto study = VisibleStudy(studies_, who, study_uid);
  if (!study.ok()) return study.status();
  auto acknowledged = reports_.AcknowledgeCritical(study_uid, who.user_id, audit);
  if (!acknowledged.ok()) return acknowledged.status();
  if (!*acknowledged) return Status::Conflict("no unacknowledged critical finding on this study");
  return Get(who, study_uid);
}

}  // namespace telerad
