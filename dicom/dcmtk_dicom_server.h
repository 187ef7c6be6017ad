// DcmtkDicomServer: telerad's DICOM door, behind the DicomServer facade (dicom_server.h)
// so that the app never sees a DCMTK header. One accept thread and a fixed pool of worker
// threads, one association per worker (DCMTK 3.6.7's own SCP pool class leaks a thread per
// association: STACK.md).
//
// The accept thread never waits for a peer (issue 12): it accepts TCP connections
// itself, lets each wait without a thread until its whole A-ASSOCIATE-RQ is buffered
// (PendingConnections, with a deadline), and only then has DCMTK parse it. Associations
// past dicom_max_per_ae for one calling AE, or past dicom_workers in all, are rejected as
// transient (local limit exceeded), so a sender retries instead of hanging. An
// association lasting longer than dicom_association_max is cut, and so is one whose data
// set arrives slower than dicom_min_rate (TransferRateGuard); dicom_timeout bounds every
// idle wait inside one.
//
// DICOM TLS (dicom_tls_port) is a second door with its own accept thread: its TLS
// handshakes and association requests are read without blocking (PendingTlsConnections)
// under the same request deadline, then served by the same workers. The plain door is
// closed when dicom_plain is false. Which facility may call from where, and with which
// certificate, is checked per association (StorageScp, CheckSenderOrigin).
//
// Start() and Stop() are called from one owning thread; ActiveAssociations() from any.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/assoc.h>
#include <dcmtk/dcmnet/scpcfg.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "dicom/association_admission.h"
#include "dicom/association_audit.h"
#include "dicom/pending_connections.h"
#include "dicom/pending_tls_connections.h"
#include "dicom/tcp_listener.h"
#include "dicom/tls_context.h"
#include "dicom/transfer_rate_guard.h"
#include "src/config/config.h"
#include "src/ingest/ingest_service.h"
#include "src/ingest/sender_origin.h"
#include "src/monitoring/server_metrics.h"

namespace telerad::dicom {

struct AssociationControl;

class DcmtkDicomServer {
 public:
  // REQUIRES: `ingest`, `metrics` and `audit` outlive the server.
  // `audit` receives one entry per association that stored anything or was turned away
  // after naming its AE title (AssociationAudit).
  DcmtkDicomServer(IngestService& ingest, const Config& config, ServerMetrics& metrics,
                   AuditService& audit);
  ~DcmtkDicomServer();
  DcmtkDicomServer(const DcmtkDicomServer&) = delete;
  DcmtkDicomServer& operator=(const DcmtkDicomServer&) = delete;

  // Opens the ports and starts the threads. kUnavailable if a port cannot be opened,
  // kInvalidArgument if the TLS certificate, key or CA cannot be used.
  Status Start();

  // Stops accepting (new associations are refused by the closed port), lets every
  // instance being received finish and be answered, ends the associations, and joins
  // all threads. After `grace`, connections still open are cut. Idempotent.
  void Stop(std::chrono::seconds grace);

  int ActiveAssociations() const { return active_count_.load(); }

 private:
  struct Active {
    AssociationControl* control;
    int socket;
    std::string calling_ae;
    std::chrono::steady_clock::time_point cut_at;  // the whole-association deadline
    TransferRateGuard rate;                        // sampled by the accept loops, under mu_
    bool cut = false;                              // its read side shut (Cut)
    std::chrono::steady_clock::time_point cut_since{};
    bool cut_whole = false;  // and then both sides, when it lingered
  };
  struct Job {
    T_ASC_Association* assoc;
    std::string calling_ae;
    SenderOrigin origin;
  };

  // One door's accept loop: accepts connections from `listener` into `pending`, and
  // admits those whose request is whole. Pending is PendingConnections (plain) or
  // PendingTlsConnections.
  template <class Pending>
  void AcceptLoop(TcpListener& listener, Pending& pending);
  // Accepts every connection waiting on `listener` into `pending`.
  template <class Pending>
  void AcceptNew(TcpListener& listener, Pending& pending,
                 std::vector<typename Pending::Dropped>& dropped);
  // Has DCMTK read the buffered request of `ready`, then admits it or rejects it.
  void Admit(const PendingConnections::Ready& ready);
  void Admit(PendingTlsConnections::Ready& ready);
  void AdmitReceived(T_ASC_Association* assoc, SenderOrigin origin);
  void WorkerLoop();
  void Serve(Job job);
  // Cuts the connections of associations idle between commands (or all if `all`).
  void InterruptActive(bool all);
  // Cuts the connections of associations past their whole-association deadline, or
  // whose data set arrives slower than dicom_min_rate.
  void CutOverdue();
  // Shuts the read side of `a`'s connection: the worker's next read fails and DCMTK
  // sends A-ABORT (REQUIRES: mu_ held).
  void Cut(Active& a, std::chrono::steady_clock::time_point now, AssociationCut reason,
           const std::string& why);

  IngestService& ingest_;
  const Config config_;
  ServerMetrics& metrics_;
  AssociationAudit audit_;
  const std::set<std::string> sop_classes_;
  DcmSharedSCPConfig scp_config_;
  T_ASC_Network* network_ = nullptr;
  TcpListener listener_;      // the plain port, unless dicom_plain is false
  TcpListener tls_listener_;  // the TLS port, when dicom_tls_port is set
  std::unique_ptr<TlsContext> tls_;
  AssociationAdmission admission_;

  std::thread acceptor_;
  std::thread tls_acceptor_;
  std::vector<std::thread> workers_;
  std::atomic<bool> stop_accepting_{false};
  std::atomic<int> active_count_{0};

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;          // GUARDED_BY(mu_)
  int idle_workers_ = 0;           // GUARDED_BY(mu_)
  bool stopping_workers_ = false;  // GUARDED_BY(mu_)
  std::set<Active*> active_;       // GUARDED_BY(mu_)
};

}  // namespace telerad::dicom
