#include "dicom/dicom_server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "dicom/association_socket.h"
#include "dicom/sop_classes.h"
#include "dicom/storage_scp.h"
#include "src/base/logging.h"

namespace telerad::dicom {
namespace {

// How often the accept loop looks at the stop flag (DUL_NOBLOCK timeout, seconds).
constexpr int kAcceptPollSeconds = 1;
// Seconds a new connection has to send its A-ASSOCIATE-RQ (peers send it at once).
constexpr int kAssociationRequestTimeout = 5;

void RejectTransient(T_ASC_Association* assoc, T_ASC_RejectParametersReason reason) {
  T_ASC_RejectParameters rej;
  rej.result = ASC_RESULT_REJECTEDTRANSIENT;
  rej.source = ASC_SOURCE_SERVICEPROVIDER_PRESENTATION_RELATED;
  rej.reason = reason;
  ASC_rejectAssociation(assoc, &rej);
}

void DropAndDestroy(T_ASC_Association* assoc) {
  if (!assoc) return;
  ASC_dropAssociation(assoc);
  ASC_destroyAssociation(&assoc);
}

}  // namespace

DicomServer::DicomServer(IngestService& ingest, const Config& config, ServerMetrics& metrics)
    : ingest_(ingest),
      config_(config),
      metrics_(metrics),
      sop_classes_(AcceptedStorageSopClasses(config.dicom_extra_sop_classes)) {
  DcmSCPConfig& cfg = *scp_config_;
  cfg.setAETitle(config_.dicom_ae_title.c_str());
  cfg.setPort(static_cast<Uint16>(config_.dicom_port));
  cfg.setMaxReceivePDULength(static_cast<Uint32>(config_.dicom_max_pdu));
  cfg.setACSETimeout(static_cast<Uint32>(config_.dicom_timeout_s));
  // DCMTK's default waits forever for the next PDU; a stalled peer would hold a worker
  // for good (STACK.md). Non-blocking with a timeout drops it instead.
  cfg.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
  cfg.setDIMSETimeout(static_cast<Uint32>(config_.dicom_timeout_s));
  cfg.setHostLookupEnabled(OFFalse);
  cfg.setProgressNotificationMode(OFTrue);
  OFList<OFString> verification_syntaxes;
  verification_syntaxes.push_back(UID_LittleEndianExplicitTransferSyntax);
  verification_syntaxes.push_back(UID_LittleEndianImplicitTransferSyntax);
  cfg.addPresentationContext(UID_VerificationSOPClass, verification_syntaxes);
  OFList<OFString> storage_syntaxes;
  for (const auto& ts : AcceptedTransferSyntaxes()) storage_syntaxes.push_back(ts.c_str());
  for (const auto& sop_class : sop_classes_)
    cfg.addPresentationContext(sop_class.c_str(), storage_syntaxes);
}

DicomServer::~DicomServer() { Stop(std::chrono::seconds(0)); }

Status DicomServer::Start() {
  OFCondition cond =
      ASC_initializeNetwork(NET_ACCEPTOR, config_.dicom_port, config_.dicom_timeout_s, &network_);
  if (cond.bad())
    return Status::Unavailable("cannot listen on DICOM port " + std::to_string(config_.dicom_port) +
                               ": " + cond.text());
  for (int i = 0; i < config_.dicom_workers; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  acceptor_ = std::thread([this] { AcceptLoop(); });
  DicomLog().info("event=dicom_listening port={} ae_title={} workers={}", config_.dicom_port,
                  config_.dicom_ae_title, config_.dicom_workers);
  return Status::Ok();
}

void DicomServer::AcceptLoop() {
  while (!stop_accepting_.load()) {
    T_ASC_Association* assoc = nullptr;
    OFCondition cond = ASC_receiveAssociation(network_, &assoc, config_.dicom_max_pdu, nullptr,
                                              nullptr, OFFalse, DUL_NOBLOCK, kAcceptPollSeconds);
    if (cond == DUL_NOASSOCIATIONREQUEST) {
      ASC_destroyAssociation(&assoc);
      continue;
    }
    if (cond.bad()) {
      DicomLog().warn("event=association_receive_failed reason=\"{}\"", cond.text());
      DropAndDestroy(assoc);
      continue;
    }
    bool queued = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (idle_workers_ > static_cast<int>(queue_.size())) {
        queue_.push_back(assoc);
        queued = true;
      }
    }
    if (queued) {
      cv_.notify_one();
    } else {
      DicomLog().warn("event=association_rejected calling_ae={} reason=\"all {} workers busy\"",
                      assoc->params->DULparams.callingAPTitle, config_.dicom_workers);
      RejectTransient(assoc, ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED);
      DropAndDestroy(assoc);
      metrics_.AssociationRejected();
    }
  }
}

void DicomServer::WorkerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  ++idle_workers_;
  for (;;) {
    cv_.wait(lock, [this] { return stopping_workers_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stopping, nothing left
    T_ASC_Association* assoc = queue_.front();
    queue_.pop_front();
    --idle_workers_;
    lock.unlock();
    Serve(assoc);
    lock.lock();
    ++idle_workers_;
  }
  --idle_workers_;
}

void DicomServer::Serve(T_ASC_Association* assoc) {
  AssociationControl control;
  // A duplicate of the socket, for Stop() to cut: DCMTK may close the original while
  // the association ends, and its number could then belong to another connection.
  const int socket = AssociationSocket(assoc);
  Active active{&control, socket >= 0 ? ::dup(socket) : -1};
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_workers_) control.stopping = true;
    active_.insert(&active);
  }
  ++active_count_;
  metrics_.AssociationStarted();
  {
    StorageScp scp(ingest_, config_.dicom_ae_title, sop_classes_, config_.dicom_timeout_s, control,
                   metrics_);
    if (scp.setSharedConfig(scp_config_).good()) {
      scp.run(assoc);
    } else {
      DropAndDestroy(assoc);
    }
    std::lock_guard<std::mutex> lock(mu_);
    active_.erase(&active);
  }
  if (active.socket >= 0) ::close(active.socket);
  metrics_.AssociationEnded();
  --active_count_;
}

void DicomServer::InterruptActive(bool all) {
  std::lock_guard<std::mutex> lock(mu_);
  for (Active* a : active_) {
    a->control->stopping = true;
    // Between commands nothing is in flight: cutting the connection loses nothing the
    // peer was told was stored. Mid-instance, let the instance finish and be answered.
    if ((all || !a->control->storing.load()) && a->socket >= 0) ::shutdown(a->socket, SHUT_RDWR);
  }
}

void DicomServer::Stop(std::chrono::seconds grace) {
  const bool first = !stop_accepting_.exchange(true);
  // Tell the running associations first: the accept loop may take up to a second to
  // notice, and no association should start another instance meanwhile.
  InterruptActive(false);
  if (first && acceptor_.joinable()) acceptor_.join();
  if (network_) {
    ASC_dropNetwork(&network_);  // closes the listening socket: new peers are refused
    network_ = nullptr;
  }
  std::deque<T_ASC_Association*> waiting;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_workers_ = true;
    waiting.swap(queue_);
  }
  for (T_ASC_Association* assoc : waiting) {
    RejectTransient(assoc, ASC_REASON_SP_PRES_TEMPORARYCONGESTION);
    DropAndDestroy(assoc);
    metrics_.AssociationRejected();
  }
  cv_.notify_all();
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (active_count_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    InterruptActive(false);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  InterruptActive(true);
  for (auto& worker : workers_)
    if (worker.joinable()) worker.join();
  workers_.clear();
}

}  // namespace telerad::dicom
