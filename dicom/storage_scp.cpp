#include "dicom/storage_scp.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include "dicom/association_socket.h"
#include "dicom/dataset_screen.h"
#include "dicom/dimse_status.h"
#include "dicom/instance_describer.h"
#include "src/audit/audit_outcome.h"
#include "src/base/logging.h"

namespace telerad::dicom {
namespace {

// Start writing a received file back to disk every 1 MiB, so that the fsync before the
// response waits only for the tail (overlaps disk writes with the network transfer).
constexpr unsigned long kWritebackEvery = 1 << 20;

// Returned after the last answered instance when the server stops: DcmSCP then ends
// the association (the code is outside DCMTK's own dcmnet range).
OFCondition ShuttingDown() {
  return makeOFCondition(OFM_dcmnet, 0x1000, OF_error, "server shutting down");
}

// The metrics' fixed label for a refused origin (REQUIRES: not kAllowed).
OriginRefusal ToRefusal(OriginVerdict verdict) {
  switch (verdict) {
    case OriginVerdict::kOutsideNetworks:
      return OriginRefusal::kNetwork;
    case OriginVerdict::kTlsRequired:
      return OriginRefusal::kTlsRequired;
    case OriginVerdict::kAllowed:
    case OriginVerdict::kNoCertificate:
    case OriginVerdict::kAnotherCertificate:
      break;
  }
  return OriginRefusal::kCertificate;
}

// Marks a data set as arriving for as long as it lives (AssociationControl::receiving).
class Receiving {
 public:
  explicit Receiving(AssociationControl& control) : control_(control) {
    control_.reception.fetch_add(1);
    control_.receiving = true;
  }
  ~Receiving() { control_.receiving = false; }
  Receiving(const Receiving&) = delete;
  Receiving& operator=(const Receiving&) = delete;

 private:
  AssociationControl& control_;
};

double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

StorageScp::StorageScp(IngestService& ingest, std::string called_ae_title,
                       const std::set<std::string>& accepted_sop_classes, int io_timeout_s,
                       int64_t max_dataset_bytes, const ScreenLimits& screen_limits,
                       SenderOrigin origin, AssociationControl& control, ServerMetrics& metrics,
                       AssociationAudit& audit)
    : ingest_(ingest),
      called_ae_title_(std::move(called_ae_title)),
      accepted_sop_classes_(accepted_sop_classes),
      io_timeout_s_(io_timeout_s),
      max_dataset_bytes_(max_dataset_bytes),
      screen_limits_(screen_limits),
      origin_(std::move(origin)),
      control_(control),
      metrics_(metrics),
      audit_(audit) {}

OFCondition StorageScp::run(T_ASC_Association* assoc) {
  assoc_ = assoc;
  if (assoc && assoc->params) calling_ae_ = assoc->params->DULparams.callingAPTitle;
  DisableNagle(assoc);
  SetIoTimeouts(assoc, io_timeout_s_);
  return DcmThreadSCP::run(assoc);
}

OFBool StorageScp::checkCalledAETitleAccepted(const OFString& called_ae) {
  // DCMTK 3.6.7 does not check the called AE title itself (STACK.md).
  return called_ae == called_ae_title_.c_str();
}

OFBool StorageScp::checkCallingAETitleAccepted(const OFString& calling_ae) {
  calling_ae_ = calling_ae.c_str();
  auto admitted = ingest_.AdmitSender(calling_ae_);
  if (!admitted.ok()) {
    admit_status_ = admitted.status();
    return OFFalse;
  }
  const OriginVerdict verdict = CheckSenderOrigin(*admitted, origin_);
  admit_status_ = ToStatus(verdict);
  if (!admit_status_.ok()) {
    metrics_.OriginRefused(ToRefusal(verdict));
    return OFFalse;
  }
  sender_ = *admitted;
  return OFTrue;
}

void StorageScp::notifyAssociationAcknowledge() {
  metrics_.AssociationAccepted();
  DcmThreadSCP::notifyAssociationAcknowledge();
}

void StorageScp::refuseAssociation(const DcmRefuseReasonType reason) {
  metrics_.AssociationRejected();
  std::string why;
  const char* outcome = "invalid";
  if (reason == DCMSCP_CALLING_AE_TITLE_NOT_RECOGNIZED &&
      admit_status_.code() == StatusCode::kUnavailable) {
    // The registry could not be read: say "try again later", not "you are unknown".
    DicomLog().warn(
        "event=association_rejected calling_ae={} peer={} reason=\"registry unavailable\"",
        calling_ae_, origin_.peer_address);
    audit_.Refused(calling_ae_, origin_, AuditOutcome(admit_status_), "registry unavailable");
    T_ASC_RejectParameters rej;
    rej.result = ASC_RESULT_REJECTEDTRANSIENT;
    rej.source = ASC_SOURCE_SERVICEPROVIDER_PRESENTATION_RELATED;
    rej.reason = ASC_REASON_SP_PRES_TEMPORARYCONGESTION;
    ASC_rejectAssociation(assoc_, &rej);
    return;
  }
  switch (reason) {
    case DCMSCP_CALLING_AE_TITLE_NOT_RECOGNIZED:
      why = admit_status_.message();
      outcome = AuditOutcome(admit_status_);
      break;
    case DCMSCP_CALLED_AE_TITLE_NOT_RECOGNIZED:
      why = "called AE title not recognized";
      break;
    case DCMSCP_NO_PRESENTATION_CONTEXTS:
      why = "no acceptable presentation contexts";
      break;
    default:
      why = "refused (reason " + std::to_string(static_cast<int>(reason)) + ")";
  }
  DicomLog().info("event=association_rejected calling_ae={} peer={} tls={} reason=\"{}\"",
                  calling_ae_, origin_.peer_address, origin_.tls, why);
  audit_.Refused(calling_ae_, origin_, outcome, why);
  DcmThreadSCP::refuseAssociation(reason);
}

OFCondition StorageScp::handleIncomingCommand(T_DIMSE_Message* msg,
                                              const DcmPresentationContextInfo& info) {
  accepted_ = true;
  if (msg->CommandField == DIMSE_C_STORE_RQ) {
    OFCondition cond = HandleStore(msg->msg.CStoreRQ, info);
    if (cond.good() && control_.stopping.load()) return ShuttingDown();
    return cond;
  }
  OFCondition cond = DcmThreadSCP::handleIncomingCommand(msg, info);  // C-ECHO, or refuse
  if (cond.good() && msg->CommandField == DIMSE_C_ECHO_RQ) metrics_.EchoAnswered();
  return cond;
}

void StorageScp::notifyRECEIVEProgress(const unsigned long byte_count) {
  received_bytes_ = byte_count;
  if (receiving_ != nullptr && !too_large_ &&
      static_cast<uint64_t>(byte_count) > static_cast<uint64_t>(max_dataset_bytes_)) {
    // DCMTK's receive cannot be stopped from here; ending the read side makes its next
    // read fail, then DcmSCP aborts the association (A-ABORT still goes out) and the
    // staging file is removed with it.
    too_large_ = true;
    const int fd = AssociationSocket(assoc_);
    if (fd >= 0) ::shutdown(fd, SHUT_RD);
    return;
  }
  if (receiving_ != nullptr && byte_count >= written_back_ + kWritebackEvery) {
    receiving_->StartWriteback();
    written_back_ = byte_count;
  }
}

OFCondition StorageScp::HandleStore(T_DIMSE_C_StoreRQ& req,
                                    const DcmPresentationContextInfo& info) {
  control_.storing = true;
  OFCondition cond = EC_Normal;
  timings_ = StoreTimings{};
  timed_ = false;
  const std::optional<Uint16> status = ReceiveAndStore(req, info, cond);
  if (status) {
    const auto respond_start = std::chrono::steady_clock::now();
    cond = sendSTOREResponse(info.presentationContextID, req, *status);
    timings_.respond = SecondsSince(respond_start);
    if (timed_ && cond.good()) metrics_.StoreTimed(timings_);
  }
  control_.storing = false;
  return cond;
}

std::optional<Uint16> StorageScp::ReceiveAndStore(T_DIMSE_C_StoreRQ& req,
                                                  const DcmPresentationContextInfo& info,
                                                  OFCondition& cond) {
  auto staged = ingest_.Stage();
  if (!staged.ok()) {
    // Still read the data set, to keep the association in step, then refuse it.
    DcmDataset* discarded = nullptr;
    {
      const Receiving receiving(control_);
      cond = receiveSTORERequest(req, info.presentationContextID, discarded);
    }
    delete discarded;
    const Uint16 status = Refuse(kAnswerNotWritten, staged.status().ToString());
    if (cond.bad()) return std::nullopt;
    return status;
  }
  receiving_ = &*staged;
  written_back_ = 0;
  received_bytes_ = 0;
  const auto receive_start = std::chrono::steady_clock::now();
  {
    const Receiving receiving(control_);
    cond = receiveSTORERequest(req, info.presentationContextID, OFString(staged->path().c_str()));
  }
  timings_.receive = SecondsSince(receive_start);
  receiving_ = nullptr;
  if (cond.bad() && cond.module() == OFM_dcmnet && cond.code() == DIMSEC_OUTOFRESOURCES) {
    // DCMTK could not write the file (disk full) but read the rest of the data set, so
    // the association is still in step: answer "out of resources", the sender retries.
    cond = EC_Normal;
    return Refuse(kAnswerNotWritten, "cannot write the received data set");
  }
  if (too_large_) {
    ++failed_;
    metrics_.StoreFailed(StoreAnswerFor(StatusCode::kTooLarge).reason);
    DicomLog().warn(
        "event=instance_refused calling_ae={} peer={} reason=\"data set larger than {} bytes, "
        "association aborted\"",
        calling_ae_, getPeerIP().c_str(), max_dataset_bytes_);
    return std::nullopt;
  }
  if (cond.bad()) {
    // Nothing to acknowledge: the peer will see the association end.
    ++failed_;
    metrics_.StoreFailed(StoreFailure::kNetwork);
    DicomLog().warn("event=instance_receive_failed calling_ae={} reason=\"{}\"", calling_ae_,
                    cond.text());
    return std::nullopt;
  }
  // The tail (or all of a small file) starts going to disk now, while the header is
  // parsed and the index is consulted; the fsync later only waits for what is left.
  staged->StartWriteback();
  try {
    return StoreReceived(req, info, std::move(*staged));
  } catch (const std::exception& e) {
    // Last resort (out of memory, no thread): nothing is indexed, the sender retries.
    return Refuse(kAnswerInternalError, std::string("internal error: ") + e.what());
  }
}

Uint16 StorageScp::StoreReceived(const T_DIMSE_C_StoreRQ& req,
                                 const DcmPresentationContextInfo& info, StagedFile staged) {
  const auto begin = std::chrono::steady_clock::now();
  struct stat st {};
  const uint64_t size =
      ::stat(staged.path().c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;

  // The class must be one we accept and the one negotiated for this context (PS3.7
  // 9.3.1.1: the Affected SOP Class UID names the context's abstract syntax).
  if (accepted_sop_classes_.count(req.AffectedSOPClassUID) == 0 ||
      info.abstractSyntax != req.AffectedSOPClassUID)
    return Refuse(kAnswerSopClassNotSupported, "SOP class not supported");
  // DCMTK 3.6.7 does not check fclose() on the received file (STACK.md): bytes lost in
  // its last buffer flush would otherwise go unnoticed.
  if (Status complete = CheckComplete(staged.path(), size); !complete.ok())
    return Refuse(StoreAnswerFor(complete.code()), complete.ToString());
  // Before DCMTK parses it: DCMTK 3.6.7 would recurse once per nesting level and a
  // hostile data set would take the whole server down with its worker's stack.
  if (Status screened = ScreenDataSetFile(staged.path(), screen_limits_); !screened.ok())
    return Refuse(StoreAnswerFor(screened.code()), screened.message());
  // One parse for the header, the metadata and the frame layout, all indexed with the
  // instance in one transaction.
  auto described = DescribeInstance(staged.path());
  if (!described.ok()) return Refuse(kAnswerCannotUnderstand, described.status().message());
  const HeaderReadResult* read = &described->read;
  const InstanceHeader& h = read->header;
  if (h.sop_class_uid != req.AffectedSOPClassUID)
    return Refuse(kAnswerSopClassMismatch, "data set SOP class differs from the request's");
  if (h.sop_instance_uid != req.AffectedSOPInstanceUID)
    return Refuse(kAnswerCannotUnderstand, "data set SOP instance UID differs from the request's");
  timings_.check = SecondsSince(begin);

  auto result = ingest_.Ingest(*sender_, h, std::move(staged), size);
  if (!result.ok())
    return Refuse(StoreAnswerFor(result.status().code()), result.status().ToString());
  if (!result->duplicate) {
    timings_.lookup = result->timings.lookup;
    timings_.land = result->timings.land;
    timings_.index = result->timings.index;
    timings_.index_waited = result->timings.index_waited;
    timed_ = true;
  }
  metrics_.InstanceReceived(size, result->duplicate);
  study_uids_.insert(h.study_uid);
  if (result->duplicate) {
    ++duplicates_;
  } else {
    ++stored_;
    bytes_ += size;
  }
  if (!described->left_out.empty()) {
    // Tags only, never values: what a viewer will miss from this instance's metadata.
    std::string tags;
    for (const std::string& tag : described->left_out) tags += (tags.empty() ? "" : ",") + tag;
    DicomLog().warn("event=metadata_trimmed calling_ae={} study_id={} left_out={}", calling_ae_,
                    result->study_id, tags);
  }
  if (read->charset_fallback)
    DicomLog().warn("event=charset_fallback calling_ae={} study_id={}", calling_ae_,
                    result->study_id);
  DicomLog().debug("event=instance_stored study_id={} bytes={} ms={:.2f} duplicate={}",
                   result->study_id, size, SecondsSince(begin) * 1000, result->duplicate);
  return kStoreSuccess;
}

Status StorageScp::CheckComplete(const std::string& staged, uint64_t size) const {
  auto offset = DataSetOffset(staged);
  if (!offset.ok()) return Status::ResourceExhausted("received file has no meta header");
  if (size != *offset + received_bytes_)
    return Status::ResourceExhausted("received file is " + std::to_string(size) +
                                     " bytes, expected " +
                                     std::to_string(*offset + received_bytes_));
  return Status::Ok();
}

Uint16 StorageScp::Refuse(StoreAnswer answer, const std::string& reason) {
  ++failed_;
  metrics_.StoreFailed(answer.reason);
  DicomLog().warn("event=instance_refused calling_ae={} peer={} status=0x{:04X} reason=\"{}\"",
                  calling_ae_, getPeerIP().c_str(), answer.status, reason);
  return answer.status;
}

void StorageScp::notifyAssociationTermination() {
  if (!accepted_ && stored_ == 0 && failed_ == 0) return;  // refusals are logged on their own
  DicomLog().info(
      "event=association_ended calling_ae={} peer={} stored={} duplicates={} failed={} bytes={} "
      "seconds={:.3f}",
      calling_ae_, getPeerIP().c_str(), stored_, duplicates_, failed_, bytes_,
      SecondsSince(started_));
  if (stored_ + duplicates_ + failed_ == 0) return;  // an echo, or nothing sent
  AssociationSummary summary;
  summary.calling_ae = calling_ae_;
  summary.facility_code = sender_ ? sender_->code : std::string();
  summary.origin = origin_;
  summary.study_uids = std::move(study_uids_);
  summary.stored = stored_;
  summary.duplicates = duplicates_;
  summary.failed = failed_;
  summary.bytes = bytes_;
  audit_.Ended(summary);
}

}  // namespace telerad::dicom
