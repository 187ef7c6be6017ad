// ReportRepository: reports, addenda and their delivery jobs. Thread-safe. Every method
// may fail with kUnavailable when the database is down.
//
// Each write that changes a report (SaveDraft, Sign, AddAddendum, AcknowledgeCritical,
// MarkDelivered, MarkDeliveryFailed) appends its `audit` entry in its own transaction
// and sets the entry's id; a failed append rolls the change back. A blocked write
// appends nothing (the caller records the refusal).
//
// Each write runs in one transaction that first locks the study row, so the rules the
// service checks (who holds the claim, which version is current) cannot change between
// the check and the write, whichever server process runs it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "src/base/audit_entry.h"
#include "src/base/model.h"
#include "src/base/status.h"

namespace telerad {

struct DraftContent {
  std::string findings;
  std::string impression;
  std::vector<std::string> icd_codes;
  bool critical = false;
};

// Why a report write did not happen, for the service to turn into a status.
enum class ReportWriteBlock {
  kNone,             // written
  kNoStudy,          // no such study
  kNotClaimHolder,   // the study is not claimed by this user (or the lease ran out)
  kNoDraft,          // sign/addendum: no report, or (sign) no draft to sign
  kNotFinal,         // addendum: the report is still a draft
  kAlreadyFinal,     // save/sign: the report is already signed
  kStaleVersion,     // the expected version is not the current one
  kVersionRequired,  // save: a draft exists and no expected version was given
  kEmpty,            // sign: neither findings nor impression written
};

struct ReportWrite {
  ReportWriteBlock block = ReportWriteBlock::kNone;
  int current_version = 0;            // the report's version after (or, if blocked, now)
  std::optional<std::string> holder;  // kNotClaimHolder: who holds the claim, if anyone
  std::optional<Report> report;       // written: the report as stored
};

// A delivery the worker must attempt now.
struct DeliveryJob {
  int64_t report_id = 0;
  std::string study_uid;
  int attempts = 0;  // attempts made before this one
  ReturnDicom to;
  std::string sr_series_uid;
  std::string sr_instance_uid;
};

class ReportRepository {
 public:
  virtual ~ReportRepository() = default;

  // The study's report with its addenda, or nullopt when it has none.
  virtual Result<std::optional<Report>> FindByStudy(const std::string& study_uid) = 0;

  // Saves the draft of `user_id`, who must hold an unexpired claim on the study; renews
  // the claim to `lease`. Creates the report at version 1, or replaces a draft whose
  // version is `expected_version` (required when a draft exists) and bumps it.
  virtual Result<ReportWrite> SaveDraft(const std::string& study_uid, int64_t user_id,
                                        std::optional<int> expected_version,
                                        const DraftContent& content, std::chrono::seconds lease,
                                        AuditEntry& audit) = 0;

  // Signs the draft at `expected_version` (required: a signature covers the text the
  // radiologist read, never a newer one saved from another tab): the report becomes final with
  // signer and time, the study `reported` and its claim ends, in one transaction. When
  // the facility has a return DICOM address a delivery is queued with these SR UIDs.
  virtual Result<ReportWrite> Sign(const std::string& study_uid, int64_t user_id,
                                   std::optional<int> expected_version,
                                   const std::string& sr_series_uid,
                                   const std::string& sr_instance_uid, AuditEntry& audit) = 0;

  // Appends an addendum to a final report; queues a new delivery (a new SR instance
  // `sr_instance_uid` in the same SR series) when the facility has a return address.
  virtual Result<ReportWrite> AddAddendum(const std::string& study_uid, int64_t user_id,
                                          const std::string& text,
                                          const std::string& sr_instance_uid,
                                          AuditEntry& audit) = 0;

  // Records that a facility user saw the critical finding; the study leaves the top of
  // the inbox. False when there is no unacknowledged critical final report.
  virtual Result<bool> AcknowledgeCritical(const std::string& study_uid, int64_t user_id,
                                           AuditEntry& audit) = 0;

  // Takes one due delivery and holds it for `hold` (so another process does not send it
  // at the same time), or nullopt when none is due.
  virtual Result<std::optional<DeliveryJob>> TakeDueDelivery(std::chrono::seconds hold) = 0;

  // The peer acknowledged `sr_instance_uid`. Ignored when the report has moved on to a
  // newer SR instance (an addendum arrived meanwhile): that one is still due.
  virtual Status MarkDelivered(int64_t report_id, const std::string& sr_instance_uid,
                               AuditEntry& audit) = 0;

  // The facility no longer has a return address: the delivery is dropped (state none,
  // `reason` kept); setting an address later does not resend old reports.
  virtual Status MarkUndeliverable(int64_t report_id, const std::string& sr_instance_uid,
                                   const std::string& reason) = 0;

  // The attempt failed: count it, keep `error` and try again after `retry_in`.
  virtual Status MarkDeliveryFailed(int64_t report_id, const std::string& sr_instance_uid,
                                    const std::string& error, std::chrono::seconds retry_in,
                                    AuditEntry& audit) = 0;
};

}  // namespace telerad
