// ReportService: writing, signing and reading reports (DESIGN.md, "Reading" and
// "Delivery"). Both doors call it; the rules live here once:
// - only the radiologist holding the study's claim saves and signs its draft; every save
//   renews the claim; a save or sign names the version it builds on, and a stale one
//   fails (kFailedPrecondition), so two browser tabs cannot overwrite each other;
// - a signed report is final; any radiologist may add addenda to it;
// - who may read a report follows who may see the study (study_access.h); a facility
//   reads only signed reports, never a draft;
// - a critical finding stays on top of the facility's inbox until one of its users
//   acknowledges it.
// Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "src/base/model.h"
#include "src/base/status.h"
#include "src/index/study_repository.h"
#include "src/reading/report_repository.h"

namespace telerad {

// Limits on what one report holds; larger input is kUnprocessable.
inline constexpr size_t kMaxReportTextBytes = 64 * 1024;
inline constexpr size_t kMaxAddendumBytes = 16 * 1024;

class ReportService {
 public:
  // `claim_lease`: the lease a draft save renews (config claim_lease).
  ReportService(StudyRepository& studies, ReportRepository& reports,
                std::chrono::seconds claim_lease);

  // The study's report with its addenda. kNotFound when the study is not visible to
  // `who`, or has no report (for a facility user: no signed report).
  Result<Report> Get(const Principal& who, const std::string& study_uid);

  // The report of a study `who` has already been allowed to see (StudyService::Get), or
  // nullopt; a facility user gets only a signed one.
  Result<std::optional<Report>> OfVisibleStudy(const Principal& who, const Study& study);

  // The writes below take the change's `audit` entry, which the repository appends in
  // the change's own transaction (setting its id); a refused write appends nothing.
  //
  // Saves the draft. `expected_version`: the version the caller edited (required once a
  // draft exists). kUnprocessable for a bad ICD code or oversized text; kConflict when
  // `who` does not hold the claim or the report is signed; kFailedPrecondition when the
  // version is stale or missing.
  Result<Report> SaveDraft(const Principal& who, const std::string& study_uid,
                           std::optional<int> expected_version, DraftContent content,
                           AuditEntry& audit);

  // Signs the draft at `expected_version` (required, kFailedPrecondition otherwise or
  // when stale): final, the study becomes `reported`, and delivery to the facility's
  // PACS is queued. kUnprocessable when the draft is empty.
  Result<Report> Sign(const Principal& who, const std::string& study_uid,
                      std::optional<int> expected_version, AuditEntry& audit);

  // Appends an addendum to a signed report (any radiologist).
  Result<Report> AddAddendum(const Principal& who, const std::string& study_uid,
                             const std::string& text, AuditEntry& audit);

  // A user of the study's facility acknowledges its critical finding.
  Result<Report> AcknowledgeCritical(const Principal& who, const std::string& study_uid,
                                     AuditEntry& audit);

 private:
  Status ToStatus(const ReportWrite& write) const;

  StudyRepository& studies_;
  ReportRepository& reports_;
  const std::chrono::seconds claim_lease_;
};

// Checks and normalises a draft: ICD codes trimmed, upper-cased and de-duplicated (in
// order), then each must be an ICD-10 or ICD-11 code; text within the limits.
Status ValidateDraft(DraftContent& content);

}  // namespace telerad
