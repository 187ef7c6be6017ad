#include "dicom/dicom_server.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "dicom/association_socket.h"
#include "dicom/sop_classes.h"
#include "dicom/storage_scp.h"
#include "src/base/logging.h"

namespace telerad::dicom {
namespace {

// How often the accept loop looks at the stop flag and at deadlines, at the latest.
constexpr int kPollMs = 200;
// Connections taken from the port per wake-up, so a flood of new ones cannot keep the
// loop from the requests already buffered.
constexpr int kAcceptBurst = 64;
// The largest A-ASSOCIATE-RQ PDU waited for. 128 presentation contexts (DCMTK's limit)
// with a few transfer syntaxes each take about 20 KB.
constexpr uint32_t kMaxRequestBytes = 64 * 1024;

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

ScreenLimits ScreenLimitsOf(const Config& config) {
  ScreenLimits limits;
  limits.max_depth = config.dicom_max_sequence_depth;
  limits.max_elements = static_cast<uint64_t>(config.dicom_max_elements);
  limits.max_inflated_bytes = static_cast<uint64_t>(config.dicom_max_inflated_bytes);
  return limits;
}

}  // namespace

DicomServer::DicomServer(IngestService& ingest, const Config& config, ServerMetrics& metrics)
    : ingest_(ingest),
      config_(config),
      metrics_(metrics),
      sop_classes_(AcceptedStorageSopClasses(config.dicom_extra_sop_classes)),
      admission_(config.dicom_workers, config.dicom_max_per_ae) {
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
  if (Status s = listener_.Open(config_.dicom_port); !s.ok())
    return Status::Unavailable("cannot listen on DICOM port " + std::to_string(config_.dicom_port) +
                               ": " + s.message());
  OFCondition cond = InitializeAcceptorNetwork(config_.dicom_timeout_s, &network_);
  if (cond.bad()) {
    listener_.Close();
    return Status::Unavailable(std::string("cannot start the DICOM network: ") + cond.text());
  }
  for (int i = 0; i < config_.dicom_workers; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  acceptor_ = std::thread([this] { AcceptLoop(); });
  DicomLog().info(
      "event=dicom_listening port={} ae_title={} workers={} max_per_ae={} request_timeout_s={} "
      "association_max_s={} max_dataset_bytes={} max_sequence_depth={} max_elements={} "
      "max_inflated_bytes={}",
      config_.dicom_port, config_.dicom_ae_title, config_.dicom_workers, config_.dicom_max_per_ae,
      config_.dicom_request_timeout_s, config_.dicom_association_max_s,
      config_.dicom_max_dataset_bytes, config_.dicom_max_sequence_depth, config_.dicom_max_elements,
      config_.dicom_max_inflated_bytes);
  return Status::Ok();
}

void DicomServer::AcceptLoop() {
  PendingConnections pending(std::chrono::seconds(config_.dicom_request_timeout_s),
                             config_.dicom_max_pending, kMaxRequestBytes);
  std::vector<pollfd> fds;
  std::vector<PendingConnections::Dropped> dropped;
  while (!stop_accepting_.load()) {
    fds.clear();
    fds.push_back({listener_.fd(), POLLIN, 0});
    pending.AppendPollFds(fds);
    const int n = ::poll(fds.data(), fds.size(), kPollMs);
    dropped.clear();
    if (n > 0 && (fds[0].revents & POLLIN)) AcceptNew(pending, dropped);
    const auto now = std::chrono::steady_clock::now();
    for (const auto& ready : pending.Collect(now, dropped)) Admit(ready);
    for (const auto& d : dropped) {
      DicomLog().info("event=connection_dropped peer={} reason=\"{}\"", d.peer, d.reason);
      metrics_.AssociationRejected();
    }
    CutOverdue(now);
  }
}

void DicomServer::AcceptNew(PendingConnections& pending,
                            std::vector<PendingConnections::Dropped>& dropped) {
  const auto now = std::chrono::steady_clock::now();
  for (int i = 0; i < kAcceptBurst; ++i) {
    TcpListener::Accepted accepted = listener_.Accept();
    if (accepted.fd < 0) {
      // Readable but nothing accepted: out of descriptors (EMFILE) keeps the port
      // readable; pause instead of spinning, the pending deadlines free some.
      if (i == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      return;
    }
    pending.Add(accepted.fd, std::move(accepted.peer), now, dropped);
  }
}

void DicomServer::Admit(const PendingConnections::Ready& ready) {
  T_ASC_Association* assoc = nullptr;
  OFCondition cond = ReceiveAssociationOn(network_, ready.fd, config_.dicom_max_pdu, &assoc);
  if (cond.bad()) {
    DicomLog().warn("event=association_receive_failed peer={} reason=\"{}\"", ready.peer,
                    cond.text());
    DropAndDestroy(assoc);
    return;
  }
  const std::string calling_ae = assoc->params->DULparams.callingAPTitle;
  const AssociationAdmission::Verdict verdict = admission_.TryAdmit(calling_ae);
  bool queued = false;
  if (verdict == AssociationAdmission::Verdict::kAdmitted) {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_workers_ > static_cast<int>(queue_.size())) {
      queue_.push_back({assoc, calling_ae});
      queued = true;
    }
  }
  if (queued) {
    cv_.notify_one();
    return;
  }
  std::string why;
  if (verdict == AssociationAdmission::Verdict::kCallingAeLimit) {
    why = "calling AE already holds " + std::to_string(config_.dicom_max_per_ae) + " associations";
  } else {
    if (verdict == AssociationAdmission::Verdict::kAdmitted) admission_.Release(calling_ae);
    why = "all " + std::to_string(config_.dicom_workers) + " workers busy";
  }
  DicomLog().warn("event=association_rejected calling_ae={} peer={} reason=\"{}\"", calling_ae,
                  ready.peer, why);
  RejectTransient(assoc, ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED);
  DropAndDestroy(assoc);
  metrics_.AssociationRejected();
}

void DicomServer::WorkerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  ++idle_workers_;
  for (;;) {
    cv_.wait(lock, [this] { return stopping_workers_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stopping, nothing left
    Job job = queue_.front();
    queue_.pop_front();
    --idle_workers_;
    lock.unlock();
    const std::string calling_ae = job.calling_ae;
    Serve(std::move(job));
    lock.lock();
    ++idle_workers_;
    // Released only once this worker is idle again, so an admitted association always
    // finds a worker.
    admission_.Release(calling_ae);
  }
  --idle_workers_;
}

void DicomServer::Serve(Job job) {
  T_ASC_Association* assoc = job.assoc;
  AssociationControl control;
  // A duplicate of the socket, for Stop() to cut: DCMTK may close the original while
  // the association ends, and its number could then belong to another connection.
  const int socket = AssociationSocket(assoc);
  Active active{
      &control, socket >= 0 ? ::dup(socket) : -1, std::move(job.calling_ae),
      std::chrono::steady_clock::now() + std::chrono::seconds(config_.dicom_association_max_s)};
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_workers_) control.stopping = true;
    active_.insert(&active);
  }
  ++active_count_;
  metrics_.AssociationStarted();
  {
    StorageScp scp(ingest_, config_.dicom_ae_title, sop_classes_, config_.dicom_timeout_s,
                   config_.dicom_max_dataset_bytes, ScreenLimitsOf(config_), control, metrics_);
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

void DicomServer::CutOverdue(std::chrono::steady_clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  for (Active* a : active_) {
    if (a->cut || now < a->cut_at) continue;
    // Even mid-instance: an instance not yet answered is not acknowledged, so the sender
    // still holds it and nothing is lost; a trickling peer gets no more of a worker.
    DicomLog().warn("event=association_cut calling_ae={} reason=\"longer than {} s\"",
                    a->calling_ae, config_.dicom_association_max_s);
    a->cut = true;
    a->control->stopping = true;
    if (a->socket >= 0) ::shutdown(a->socket, SHUT_RDWR);
  }
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
  listener_.Close();  // new peers are refused by the kernel
  if (network_) {
    ASC_dropNetwork(&network_);
    network_ = nullptr;
  }
  std::deque<Job> waiting;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_workers_ = true;
    waiting.swap(queue_);
  }
  for (Job& job : waiting) {
    RejectTransient(job.assoc, ASC_REASON_SP_PRES_TEMPORARYCONGESTION);
    DropAndDestroy(job.assoc);
    admission_.Release(job.calling_ae);
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
