// ReportSender: sends a signed report back to the facility's own PACS. The DICOM door
// implements it (dicom/dicom_report_sender: a Basic Text SR over C-STORE); the delivery
// worker in src/ calls it and keeps the retry state in PostgreSQL.
#pragma once

#include <string>

#include "src/base/model.h"
#include "src/base/status.h"

namespace telerad {

// Everything the SR is built from. The SR's own UIDs are chosen once per report
// revision and stored, so a retry re-sends the same instance (a repeat to the receiver).
struct ReportDocument {
  Study study;    // patient, accession number, study UID, date, description, facility
  Report report;  // final; with its addenda
  std::string sr_series_uid;
  std::string sr_instance_uid;
};

class ReportSender {
 public:
  virtual ~ReportSender() = default;

  // Builds the document and stores it at `to` by C-STORE. OK only when the peer answered
  // Success (or a warning). kUnavailable when the peer cannot be reached or the
  // association fails; kInvalidArgument when the peer refused the instance (failure
  // status); kInternal when the document cannot be built. The message says which, for
  // the report's delivery.last_error; it never contains patient data.
  virtual Status Send(const ReturnDicom& to, const ReportDocument& doc) = 0;
};

}  // namespace telerad
