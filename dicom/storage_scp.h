// StorageScp: serves one association (C-ECHO and C-STORE) on a worker thread.
//
// One object per association, created by DicomServer, used by one thread, destroyed
// when the association ends (its DcmSCP destructor drops the association). C-STORE data
// is streamed to a staging file exactly as received (no decoding, no transcoding), then
// IngestService validates, places and indexes it; the response goes out only after that.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/scpthrd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "dicom/association_audit.h"
#include "dicom/dataset_screen.h"
#include "dicom/dimse_status.h"
#include "src/ingest/ingest_service.h"
#include "src/ingest/sender_origin.h"
#include "src/monitoring/server_metrics.h"

namespace telerad::dicom {

// State a worker shares with DicomServer, which reads it to shut down gracefully.
struct AssociationControl {
  std::atomic<bool> storing{false};   // between a C-STORE request and its response
  std::atomic<bool> stopping{false};  // end the association after the current instance
  // A data set arriving (from its C-STORE request until its last byte), and which one:
  // the minimum transfer rate applies only then (TransferRateGuard).
  std::atomic<bool> receiving{false};
  std::atomic<uint64_t> reception{0};
};

class StorageScp : public DcmThreadSCP {
 public:
  // REQUIRES: `ingest`, `accepted_sop_classes`, `control` and `metrics` outlive this
  // object. A data set growing past `max_dataset_bytes` aborts the association: DIMSE
  // answers only after the whole data set, whose length no one declares up front, so
  // refusing with a status would mean reading as much as the peer cares to send. A data
  // set received whole but past `screen_limits` is refused with a status. `origin` (peer
  // address, TLS, client certificate) must fit the calling facility's registry entry
  // (CheckSenderOrigin), else its AE title is not recognized.
  StorageScp(IngestService& ingest, std::string called_ae_title,
             const std::set<std::string>& accepted_sop_classes, int io_timeout_s,
             int64_t max_dataset_bytes, const ScreenLimits& screen_limits, SenderOrigin origin,
             AssociationControl& control, ServerMetrics& metrics, AssociationAudit& audit);

  // Serves `assoc` to its end. Switches TCP_NODELAY on first (Debian's DCMTK leaves
  // Nagle's algorithm on, which delays every small DIMSE response: STACK.md) and bounds
  // every socket read and write by the I/O timeout.
  OFCondition run(T_ASC_Association* assoc) override;

 protected:
  OFBool checkCalledAETitleAccepted(const OFString& called_ae) override;
  OFBool checkCallingAETitleAccepted(const OFString& calling_ae) override;
  void refuseAssociation(const DcmRefuseReasonType reason) override;
  void notifyAssociationAcknowledge() override;
  OFCondition handleIncomingCommand(T_DIMSE_Message* msg,
                                    const DcmPresentationContextInfo& info) override;
  void notifyRECEIVEProgress(const unsigned long byte_count) override;
  void notifyAssociationTermination() override;

 private:
  OFCondition HandleStore(T_DIMSE_C_StoreRQ& req, const DcmPresentationContextInfo& info);
  // Receives the data set of `req` into a staging file and has it stored. Returns the
  // status to answer, or nothing when the data set did not arrive whole (`cond` says
  // why; the association is lost). The staging file is placed or removed by then.
  std::optional<Uint16> ReceiveAndStore(T_DIMSE_C_StoreRQ& req,
                                        const DcmPresentationContextInfo& info, OFCondition& cond);
  // Validates and ingests a fully received staged file; returns the DIMSE status.
  Uint16 StoreReceived(const T_DIMSE_C_StoreRQ& req, const DcmPresentationContextInfo& info,
                       StagedFile staged);
  // OK when the staged file holds exactly the meta header plus every byte received.
  Status CheckComplete(const std::string& staged, uint64_t size) const;
  // Logs and counts an instance answered with a failure; returns answer.status.
  Uint16 Refuse(StoreAnswer answer, const std::string& reason);

  IngestService& ingest_;
  const std::string called_ae_title_;
  const std::set<std::string>& accepted_sop_classes_;
  const int io_timeout_s_;
  const int64_t max_dataset_bytes_;
  const ScreenLimits screen_limits_;
  const SenderOrigin origin_;
  AssociationControl& control_;
  ServerMetrics& metrics_;
  AssociationAudit& audit_;

  T_ASC_Association* assoc_ = nullptr;  // owned by DcmSCP
  std::string calling_ae_;
  std::optional<Facility> sender_;
  Status admit_status_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  bool accepted_ = false;
  int stored_ = 0;
  int duplicates_ = 0;
  int failed_ = 0;
  uint64_t bytes_ = 0;
  std::set<std::string> study_uids_;       // of instances stored or already held, for the trail
  const StagedFile* receiving_ = nullptr;  // staging file being received, for writeback hints
  unsigned long written_back_ = 0;         // bytes already handed to StartWriteback
  unsigned long received_bytes_ = 0;       // data set bytes DCMTK wrote for this instance
  bool too_large_ = false;                 // this instance passed max_dataset_bytes_
  StoreTimings timings_;                   // of the instance being stored
  bool timed_ = false;                     // timings_ are a new instance's, to be counted
};

}  // namespace telerad::dicom
