#include "dicom/storage_scp.h"

#include <sys/stat.h>

#include "dicom/association_socket.h"
#include "dicom/dimse_status.h"
#include "dicom/header_reader.h"
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

// Why the index refused an instance (IngestService::Ingest's error contract).
StoreFailure FailureFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kUnprocessable:
    case StatusCode::kNotFound:
      return StoreFailure::kInvalid;
    case StatusCode::kConflict:
    case StatusCode::kFailedPrecondition:
      return StoreFailure::kConflict;
    case StatusCode::kResourceExhausted:
      return StoreFailure::kStorage;
    case StatusCode::kUnavailable:
      return StoreFailure::kDatabase;
    case StatusCode::kOk:
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied:
    case StatusCode::kTooManyRequests:
    case StatusCode::kInternal:
      return StoreFailure::kOther;
  }
  return StoreFailure::kOther;
}

double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

StorageScp::StorageScp(IngestService& ingest, std::string called_ae_title,
                       const std::set<std::string>& accepted_sop_classes, int io_timeout_s,
                       AssociationControl& control, ServerMetrics& metrics)
    : ingest_(ingest),
      called_ae_title_(std::move(called_ae_title)),
      accepted_sop_classes_(accepted_sop_classes),
      io_timeout_s_(io_timeout_s),
      control_(control),
      metrics_(metrics) {}

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
  admit_status_ = admitted.ok() ? Status::Ok() : admitted.status();
  if (admitted.ok()) sender_ = *admitted;
  return admitted.ok();
}

void StorageScp::notifyAssociationAcknowledge() {
  metrics_.AssociationAccepted();
  DcmThreadSCP::notifyAssociationAcknowledge();
}

void StorageScp::refuseAssociation(const DcmRefuseReasonType reason) {
  metrics_.AssociationRejected();
  std::string why;
  if (reason == DCMSCP_CALLING_AE_TITLE_NOT_RECOGNIZED &&
      admit_status_.code() == StatusCode::kUnavailable) {
    // The registry could not be read: say "try again later", not "you are unknown".
    DicomLog().warn(
        "event=association_rejected calling_ae={} peer={} reason=\"registry unavailable\"",
        calling_ae_, getPeerIP().c_str());
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
  DicomLog().info("event=association_rejected calling_ae={} peer={} reason=\"{}\"", calling_ae_,
                  getPeerIP().c_str(), why);
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
  if (!receiving_path_.empty() && byte_count >= written_back_ + kWritebackEvery) {
    ingest_.files().StartWriteback(receiving_path_);
    written_back_ = byte_count;
  }
}

OFCondition StorageScp::HandleStore(T_DIMSE_C_StoreRQ& req,
                                    const DcmPresentationContextInfo& info) {
  control_.storing = true;
  auto staged = ingest_.Stage();
  OFCondition cond;
  Uint16 status;
  if (!staged.ok()) {
    // Still read the data set, to keep the association in step, then refuse it.
    DcmDataset* discarded = nullptr;
    cond = receiveSTORERequest(req, info.presentationContextID, discarded);
    delete discarded;
    status = StoreStatusFor(staged.status());
    LogRefusal(status, StoreFailure::kStorage, staged.status().ToString());
  } else {
    receiving_path_ = *staged;
    written_back_ = 0;
    received_bytes_ = 0;
    cond = receiveSTORERequest(req, info.presentationContextID, OFString(staged->c_str()));
    receiving_path_.clear();
    if (cond.bad() && cond.module() == OFM_dcmnet && cond.code() == DIMSEC_OUTOFRESOURCES) {
      // DCMTK could not write the file (disk full) but read the rest of the data set, so
      // the association is still in step: answer "out of resources", the sender retries.
      ingest_.files().Discard(*staged);
      control_.storing = false;
      LogRefusal(kStoreOutOfResources, StoreFailure::kStorage,
                 "cannot write the received data set");
      return sendSTOREResponse(info.presentationContextID, req, kStoreOutOfResources);
    }
    // The tail (or all of a small file) starts going to disk now, while the header is
    // parsed and the index is consulted; the fsync later only waits for what is left.
    if (cond.good()) ingest_.files().StartWriteback(*staged);
    if (cond.bad()) {
      // Nothing to acknowledge: the peer will see the association end.
      ingest_.files().Discard(*staged);
      ++failed_;
      metrics_.StoreFailed(StoreFailure::kNetwork);
      control_.storing = false;
      DicomLog().warn("event=instance_receive_failed calling_ae={} reason=\"{}\"", calling_ae_,
                      cond.text());
      return cond;
    }
    try {
      status = StoreReceived(req, info, *staged);
    } catch (const std::exception& e) {
      // Last resort (out of memory, no thread): nothing is indexed, the sender retries.
      ingest_.files().Discard(*staged);
      status = kStoreOutOfResources;
      LogRefusal(status, StoreFailure::kOther, std::string("internal error: ") + e.what());
    }
  }
  if (cond.good()) cond = sendSTOREResponse(info.presentationContextID, req, status);
  control_.storing = false;
  return cond;
}

Uint16 StorageScp::StoreReceived(const T_DIMSE_C_StoreRQ& req,
                                 const DcmPresentationContextInfo& info,
                                 const std::string& staged) {
  const auto begin = std::chrono::steady_clock::now();
  struct stat st {};
  const uint64_t size = ::stat(staged.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;

  // The class must be one we accept and the one negotiated for this context (PS3.7
  // 9.3.1.1: the Affected SOP Class UID names the context's abstract syntax).
  if (accepted_sop_classes_.count(req.AffectedSOPClassUID) == 0 ||
      info.abstractSyntax != req.AffectedSOPClassUID) {
    ingest_.files().Discard(staged);
    LogRefusal(kStoreSopClassNotSupported, StoreFailure::kSopClass, "SOP class not supported");
    return kStoreSopClassNotSupported;
  }
  // DCMTK 3.6.7 does not check fclose() on the received file (STACK.md): bytes lost in
  // its last buffer flush would otherwise go unnoticed.
  if (Status complete = CheckComplete(staged, size); !complete.ok()) {
    ingest_.files().Discard(staged);
    const Uint16 status = StoreStatusFor(complete);
    LogRefusal(status, StoreFailure::kStorage, complete.ToString());
    return status;
  }
  auto read = ReadInstanceHeader(staged);
  if (!read.ok()) {
    ingest_.files().Discard(staged);
    LogRefusal(kStoreCannotUnderstand, StoreFailure::kInvalid, read.status().message());
    return kStoreCannotUnderstand;
  }
  const InstanceHeader& h = read->header;
  if (h.sop_class_uid != req.AffectedSOPClassUID) {
    ingest_.files().Discard(staged);
    LogRefusal(kStoreDataSetDoesNotMatchSopClass, StoreFailure::kSopClass,
               "data set SOP class differs from the request's");
    return kStoreDataSetDoesNotMatchSopClass;
  }
  if (h.sop_instance_uid != req.AffectedSOPInstanceUID) {
    ingest_.files().Discard(staged);
    LogRefusal(kStoreCannotUnderstand, StoreFailure::kInvalid,
               "data set SOP instance UID differs from the request's");
    return kStoreCannotUnderstand;
  }

  auto result = ingest_.Ingest(*sender_, h, staged, size);
  if (!result.ok()) {
    Uint16 status = StoreStatusFor(result.status());
    LogRefusal(status, FailureFor(result.status()), result.status().ToString());
    return status;
  }
  metrics_.InstanceReceived(size, result->duplicate);
  if (result->duplicate) {
    ++duplicates_;
  } else {
    ++stored_;
    bytes_ += size;
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

void StorageScp::LogRefusal(Uint16 status, StoreFailure failure, const std::string& reason) {
  ++failed_;
  metrics_.StoreFailed(failure);
  DicomLog().warn("event=instance_refused calling_ae={} peer={} status=0x{:04X} reason=\"{}\"",
                  calling_ae_, getPeerIP().c_str(), status, reason);
}

void StorageScp::notifyAssociationTermination() {
  if (!accepted_ && stored_ == 0 && failed_ == 0) return;  // refusals are logged on their own
  DicomLog().info(
      "event=association_ended calling_ae={} peer={} stored={} duplicates={} failed={} bytes={} "
      "seconds={:.3f}",
      calling_ae_, getPeerIP().c_str(), stored_, duplicates_, failed_, bytes_,
      SecondsSince(started_));
}

}  // namespace telerad::dicom
