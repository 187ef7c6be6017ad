#include "dicom/dcmtk_dicom_server.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <type_traits>

#include "dicom/association_socket.h"
#include "dicom/dicom_instance_file_reader.h"
#include "dicom/primed_tls_connection.h"
#include "dicom/socket_receive_counters.h"
#include "dicom/sop_classes.h"
#include "dicom/storage_scp.h"
#include "src/base/logging.h"

namespace telerad::dicom {
namespace {

// How often the accept loop looks at the stop flag and at deadlines, at the latest.
constexpr int kPollMs = 200;
// How long a cut association may take to send its A-ABORT before its connection is
// ended whole.
constexpr auto kCutGrace = std::chrono::seconds(2);
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

}  // namespace

DcmtkDicomServer::DcmtkDicomServer(IngestService& ingest, const Config& config,
                                   ServerMetrics& metrics, AuditService& audit)
    : ingest_(ingest),
      config_(config),
      metrics_(metrics),
      audit_(audit),
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

DcmtkDicomServer::~DcmtkDicomServer() { Stop(std::chrono::seconds(0)); }

Status DcmtkDicomServer::Start() {
  if (config_.dicom_tls_port != 0) {
    auto tls =
        TlsContext::Create(config_.dicom_tls_cert, config_.dicom_tls_key, config_.dicom_tls_ca);
    if (!tls.ok()) return tls.status();
    tls_ = std::move(*tls);
    if (Status s = tls_listener_.Open(config_.dicom_tls_port); !s.ok())
      return Status::Unavailable("cannot listen on DICOM TLS port " +
                                 std::to_string(config_.dicom_tls_port) + ": " + s.message());
  }
  if (config_.dicom_plain) {
    if (Status s = listener_.Open(config_.dicom_port); !s.ok()) {
      tls_listener_.Close();
      return Status::Unavailable("cannot listen on DICOM port " +
                                 std::to_string(config_.dicom_port) + ": " + s.message());
    }
  }
  OFCondition cond = InitializeAcceptorNetwork(config_.dicom_timeout_s, &network_);
  if (cond.bad()) {
    listener_.Close();
    tls_listener_.Close();
    return Status::Unavailable(std::string("cannot start the DICOM network: ") + cond.text());
  }
  for (int i = 0; i < config_.dicom_workers; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  const auto request_deadline = std::chrono::seconds(config_.dicom_request_timeout_s);
  if (config_.dicom_plain) {
    acceptor_ = std::thread([this, request_deadline] {
      PendingConnections pending(request_deadline, config_.dicom_max_pending, kMaxRequestBytes);
      AcceptLoop(listener_, pending);
    });
  }
  if (tls_) {
    tls_acceptor_ = std::thread([this, request_deadline] {
      PendingTlsConnections pending(tls_->native(), request_deadline, config_.dicom_max_pending,
                                    kMaxRequestBytes);
      AcceptLoop(tls_listener_, pending);
    });
  }
  DicomLog().info(
      "event=dicom_listening port={} tls_port={} ae_title={} workers={} max_per_ae={} "
      "request_timeout_s={} association_max_s={} min_rate={} max_dataset_bytes={} "
      "max_sequence_depth={} max_elements={} max_inflated_bytes={}",
      config_.dicom_plain ? std::to_string(config_.dicom_port) : std::string("off"),
      tls_ ? std::to_string(config_.dicom_tls_port) : std::string("off"), config_.dicom_ae_title,
      config_.dicom_workers, config_.dicom_max_per_ae, config_.dicom_request_timeout_s,
      config_.dicom_association_max_s, config_.dicom_min_rate, config_.dicom_max_dataset_bytes,
      config_.dicom_max_sequence_depth, config_.dicom_max_elements,
      config_.dicom_max_inflated_bytes);
  return Status::Ok();
}

template <class Pending>
void DcmtkDicomServer::AcceptLoop(TcpListener& listener, Pending& pending) {
  std::vector<pollfd> fds;
  std::vector<typename Pending::Dropped> dropped;
  while (!stop_accepting_.load()) {
    fds.clear();
    fds.push_back({listener.fd(), POLLIN, 0});
    pending.AppendPollFds(fds);
    const int n = ::poll(fds.data(), fds.size(), kPollMs);
    dropped.clear();
    if (n > 0 && (fds[0].revents & POLLIN)) AcceptNew(listener, pending, dropped);
    const auto now = std::chrono::steady_clock::now();
    for (auto& ready : pending.Collect(now, dropped)) Admit(ready);
    for (const auto& d : dropped) {
      DicomLog().info("event=connection_dropped peer={} reason=\"{}\"", d.peer, d.reason);
      metrics_.AssociationRejected();
      if constexpr (std::is_same_v<Pending, PendingTlsConnections>) {
        if (d.handshake_failed) metrics_.OriginRefused(OriginRefusal::kTlsHandshake);
      }
    }
    CutOverdue();  // from both doors' loops: either may be the only one
  }
}

template <class Pending>
void DcmtkDicomServer::AcceptNew(TcpListener& listener, Pending& pending,
                                 std::vector<typename Pending::Dropped>& dropped) {
  const auto now = std::chrono::steady_clock::now();
  for (int i = 0; i < kAcceptBurst; ++i) {
    TcpListener::Accepted accepted = listener.Accept();
    if (accepted.fd < 0) {
      // Readable but nothing accepted: out of descriptors (EMFILE) keeps the port
      // readable; pause instead of spinning, the pending deadlines free some.
      if (i == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      return;
    }
    pending.Add(accepted.fd, std::move(accepted.peer), now, dropped);
  }
}

void DcmtkDicomServer::Admit(const PendingConnections::Ready& ready) {
  T_ASC_Association* assoc = nullptr;
  OFCondition cond = ReceiveAssociationOn(network_, ready.fd, config_.dicom_max_pdu, &assoc);
  if (cond.bad()) {
    DicomLog().warn("event=association_receive_failed peer={} reason=\"{}\"", ready.peer,
                    cond.text());
    DropAndDestroy(assoc);
    return;
  }
  AdmitReceived(assoc, SenderOrigin{ready.peer, false, ""});
}

void DcmtkDicomServer::Admit(PendingTlsConnections::Ready& ready) {
  T_ASC_Association* assoc = nullptr;
  auto connection =
      std::make_unique<PrimedTlsConnection>(ready.fd, ready.tls, std::move(ready.request));
  OFCondition cond = ReceiveAssociationOn(network_, ready.fd, config_.dicom_max_pdu, &assoc,
                                          std::move(connection));
  if (cond.bad()) {
    DicomLog().warn("event=association_receive_failed peer={} tls=true reason=\"{}\"", ready.peer,
                    cond.text());
    DropAndDestroy(assoc);
    return;
  }
  AdmitReceived(assoc, SenderOrigin{ready.peer, true, ready.client_sha256});
}

void DcmtkDicomServer::AdmitReceived(T_ASC_Association* assoc, SenderOrigin origin) {
  const std::string calling_ae = assoc->params->DULparams.callingAPTitle;
  const AssociationAdmission::Verdict verdict = admission_.TryAdmit(calling_ae);
  bool queued = false;
  if (verdict == AssociationAdmission::Verdict::kAdmitted) {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_workers_ > static_cast<int>(queue_.size())) {
      queue_.push_back({assoc, calling_ae, origin});
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
                  origin.peer_address, why);
  audit_.Refused(calling_ae, origin, "throttled", why);
  RejectTransient(assoc, ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED);
  DropAndDestroy(assoc);
  metrics_.AssociationRejected();
}

void DcmtkDicomServer::WorkerLoop() {
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

void DcmtkDicomServer::Serve(Job job) {
  T_ASC_Association* assoc = job.assoc;
  AssociationControl control;
  // A duplicate of the socket, for Stop() to cut: DCMTK may close the original while
  // the association ends, and its number could then belong to another connection.
  const int socket = AssociationSocket(assoc);
  Active active{
      &control, socket >= 0 ? ::dup(socket) : -1, std::move(job.calling_ae),
      std::chrono::steady_clock::now() + std::chrono::seconds(config_.dicom_association_max_s),
      TransferRateGuard(config_.dicom_min_rate, std::chrono::seconds(config_.dicom_timeout_s))};
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_workers_) control.stopping = true;
    active_.insert(&active);
  }
  ++active_count_;
  metrics_.AssociationStarted();
  {
    StorageScp scp(ingest_, config_.dicom_ae_title, sop_classes_, config_.dicom_timeout_s,
                   config_.dicom_max_dataset_bytes, ScreenLimitsOf(config_), std::move(job.origin),
                   control, metrics_, audit_);
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

void DcmtkDicomServer::CutOverdue() {
  std::lock_guard<std::mutex> lock(mu_);
  // Read under the lock: the two doors' loops both call this, and each association's
  // rate guard must see its samples' times in order.
  const auto now = std::chrono::steady_clock::now();
  for (Active* a : active_) {
    if (a->cut) {
      // The read side was shut so that DCMTK's failed read sends A-ABORT; if the
      // association is still here a few seconds on, its worker is stuck writing to the
      // peer: end the connection whole.
      if (!a->cut_whole && now - a->cut_since >= kCutGrace && a->socket >= 0) {
        ::shutdown(a->socket, SHUT_RDWR);
        a->cut_whole = true;
      }
      continue;
    }
    // Even mid-instance: an instance not yet answered is not acknowledged, so the sender
    // still holds it and nothing is lost; a trickling peer gets no more of a worker.
    if (now >= a->cut_at) {
      Cut(*a, now, AssociationCut::kTooLong,
          "longer than " + std::to_string(config_.dicom_association_max_s) + " s");
      continue;
    }
    TransferRateGuard::Sample sample;
    sample.receiving = a->control->receiving.load();
    if (sample.receiving) {
      sample.reception = a->control->reception.load();
      const std::optional<ReceiveCounters> counters = ReadReceiveCounters(a->socket);
      if (!counters) continue;  // cannot tell: only the deadline applies
      sample.bytes_received = counters->received;
      sample.unread = counters->unread;
    }
    if (a->rate.TooSlow(now, sample)) {
      Cut(*a, now, AssociationCut::kTooSlow,
          "data set arriving slower than " + std::to_string(config_.dicom_min_rate) +
              " bytes/s: " + std::to_string(a->rate.last_window_bytes()) + " bytes in " +
              std::to_string(config_.dicom_timeout_s) + " s");
    }
  }
}

void DcmtkDicomServer::Cut(Active& a, std::chrono::steady_clock::time_point now,
                           AssociationCut reason, const std::string& why) {
  DicomLog().warn("event=association_cut calling_ae={} reason=\"{}\"", a.calling_ae, why);
  metrics_.AssociationCutShort(reason);
  a.cut = true;
  a.cut_since = now;
  a.control->stopping = true;
  if (a.socket >= 0) ::shutdown(a.socket, SHUT_RD);
}

void DcmtkDicomServer::InterruptActive(bool all) {
  std::lock_guard<std::mutex> lock(mu_);
  for (Active* a : active_) {
    a->control->stopping = true;
    // Between commands nothing is in flight: cutting the connection loses nothing the
    // peer was told was stored. Mid-instance, let the instance finish and be answered.
    if ((all || !a->control->storing.load()) && a->socket >= 0) ::shutdown(a->socket, SHUT_RDWR);
  }
}

void DcmtkDicomServer::Stop(std::chrono::seconds grace) {
  const bool first = !stop_accepting_.exchange(true);
  // Tell the running associations first: the accept loop may take up to a second to
  // notice, and no association should start another instance meanwhile.
  InterruptActive(false);
  if (first && acceptor_.joinable()) acceptor_.join();
  if (first && tls_acceptor_.joinable()) tls_acceptor_.join();
  listener_.Close();  // new peers are refused by the kernel
  tls_listener_.Close();
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
