#include "dicom/dicom_report_sender.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/scu.h>

#include <cstdio>
#include <utility>

#include "dicom/report_sr.h"

namespace telerad::dicom {
namespace {

std::string Hex(Uint16 status) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "0x%04X", static_cast<unsigned>(status));
  return buf;
}

// Where the report was going, for messages: network addresses only, no patient data.
std::string PeerName(const ReturnDicom& to) {
  return to.ae_title + "@" + to.host + ":" + std::to_string(to.port);
}

void Configure(DcmSCU& scu, const std::string& calling_ae, const ReturnDicom& to, int timeout) {
  scu.setAETitle(calling_ae.c_str());
  scu.setPeerHostName(to.host.c_str());
  scu.setPeerPort(static_cast<Uint16>(to.port));
  scu.setPeerAETitle(to.ae_title.c_str());
  // DcmSCU's defaults wait forever for DIMSE messages and 30 s for ACSE ones; a stalled
  // PACS would then hold a delivery worker indefinitely.
  scu.setACSETimeout(static_cast<Uint32>(timeout));
  scu.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
  scu.setDIMSETimeout(static_cast<Uint32>(timeout));
  // A process-wide DCMTK setting (dcmConnectionTimeout), not a per-SCU one: every
  // sender in the process sets the same value, so concurrent calls agree.
  scu.setConnectionTimeout(static_cast<Sint32>(timeout));
  OFList<OFString> syntaxes;
  syntaxes.push_back(UID_LittleEndianExplicitTransferSyntax);
  syntaxes.push_back(UID_LittleEndianImplicitTransferSyntax);
  scu.addPresentationContext(UID_BasicTextSRStorage, syntaxes);
}

Status Associate(DcmSCU& scu, const ReturnDicom& to) {
  OFCondition cond = scu.initNetwork();
  if (cond.bad())
    return Status::Unavailable("report C-STORE: cannot set up the network: " +
                               std::string(cond.text()));
  cond = scu.negotiateAssociation();
  if (cond == NET_EC_NoAcceptablePresentationContexts)
    return Status::Unavailable("report C-STORE: " + PeerName(to) +
                               " does not accept Basic Text SR Storage");
  if (cond.bad())
    return Status::Unavailable("report C-STORE: no association with " + PeerName(to) + ": " +
                               cond.text());
  return Status::Ok();
}

Status Store(DcmSCU& scu, const ReturnDicom& to, DcmDataset& dataset) {
  T_ASC_PresentationContextID pc = scu.findPresentationContextID(UID_BasicTextSRStorage, "");
  if (pc == 0)
    return Status::Unavailable("report C-STORE: " + PeerName(to) +
                               " does not accept Basic Text SR Storage");
  Uint16 response = 0;
  OFCondition cond = scu.sendSTORERequest(pc, OFFilename(), &dataset, response);
  if (cond.bad()) {
    scu.abortAssociation();
    return Status::Unavailable("report C-STORE to " + PeerName(to) +
                               " got no response: " + cond.text());
  }
  Status status = StoreResponseToStatus(response);
  // The PACS has answered; a failed release changes nothing about what it stored.
  (void)scu.releaseAssociation();
  if (!status.ok())
    return Status(status.code(), "report C-STORE to " + PeerName(to) + ": " + status.message());
  return Status::Ok();
}

}  // namespace

Status StoreResponseToStatus(uint16_t status) {
  switch (status) {
    case STATUS_Success:
    case STATUS_STORE_Warning_CoercionOfDataElements:
    case STATUS_STORE_Warning_ElementsDiscarded:
    case STATUS_STORE_Warning_DataSetDoesNotMatchSOPClass:
      return Status::Ok();
    default:
      return Status::InvalidArgument("refused with status " + Hex(status));
  }
}

DicomReportSender::DicomReportSender(std::string calling_ae, int timeout_seconds)
    : calling_ae_(std::move(calling_ae)), timeout_seconds_(timeout_seconds) {}

Status DicomReportSender::Send(const ReturnDicom& to, const ReportDocument& doc) {
  Result<std::unique_ptr<DcmFileFormat>> sr = BuildReportSr(doc);
  if (!sr.ok()) return sr.status();
  if (to.port <= 0 || to.port > 65535 || to.host.empty())
    // Unreachable as configured; the facility's address can be corrected, then retried.
    return Status::Unavailable("report C-STORE: the return DICOM address is incomplete");
  DcmSCU scu;
  Configure(scu, calling_ae_, to, timeout_seconds_);
  if (Status s = Associate(scu, to); !s.ok()) return s;
  return Store(scu, to, *(*sr)->getDataset());
}

}  // namespace telerad::dicom
