// DicomReportSender: the DICOM door's ReportSender. It builds the Basic Text SR
// (report_sr.h) and stores it at the facility's PACS with one C-STORE on an association
// of its own. Each Send uses its own DcmSCU, so one sender may be shared by any number
// of threads. The header names no DCMTK type: the app (src/app/) includes it.
#pragma once

#include <cstdint>
#include <string>

#include "src/reading/report_sender.h"

namespace telerad::dicom {

// What a C-STORE response status means for delivery: OK for Success and the storage
// warnings (0xB000 coercion, 0xB006 elements discarded, 0xB007 data set does not match
// SOP class: the PACS kept the instance), kInvalidArgument for every other status.
Status StoreResponseToStatus(uint16_t status);

class DicomReportSender : public ReportSender {
 public:
  // `calling_ae`: telerad's AE title towards facility PACS. `timeout_seconds` bounds the
  // TCP connect, each association step and the wait for the C-STORE response. A peer
  // that stalls after accepting costs up to twice that: after our A-ABORT, DCMTK waits up
  // to the ACSE timeout for the peer to close the connection.
  DicomReportSender(std::string calling_ae, int timeout_seconds);

  // See ReportSender::Send. kUnavailable also covers a peer that accepts the association
  // but not Basic Text SR Storage: a configuration the facility can fix, so worth retrying.
  Status Send(const ReturnDicom& to, const ReportDocument& doc) override;

 private:
  std::string calling_ae_;
  int timeout_seconds_;
};

}  // namespace telerad::dicom
