// DicomServer: telerad's DICOM door. One accept thread and a fixed pool of worker
// threads, one association per worker (DCMTK 3.6.7's own SCP pool class leaks a thread per
// association: STACK.md). Associations beyond the pool are rejected as transient
// (local limit exceeded), so a sender retries instead of hanging.
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

#include "src/config/config.h"
#include "src/ingest/ingest_service.h"
#include "src/monitoring/server_metrics.h"

namespace telerad::dicom {

struct AssociationControl;

class DicomServer {
 public:
  // REQUIRES: `ingest` and `metrics` outlive the server.
  DicomServer(IngestService& ingest, const Config& config, ServerMetrics& metrics);
  ~DicomServer();
  DicomServer(const DicomServer&) = delete;
  DicomServer& operator=(const DicomServer&) = delete;

  // Opens the port and starts the threads. kUnavailable if the port cannot be opened.
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
  };

  void AcceptLoop();
  void WorkerLoop();
  void Serve(T_ASC_Association* assoc);
  // Cuts the connections of associations idle between commands (or all if `all`).
  void InterruptActive(bool all);

  IngestService& ingest_;
  const Config config_;
  ServerMetrics& metrics_;
  const std::set<std::string> sop_classes_;
  DcmSharedSCPConfig scp_config_;
  T_ASC_Network* network_ = nullptr;

  std::thread acceptor_;
  std::vector<std::thread> workers_;
  std::atomic<bool> stop_accepting_{false};
  std::atomic<int> active_count_{0};

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T_ASC_Association*> queue_;  // GUARDED_BY(mu_)
  int idle_workers_ = 0;                  // GUARDED_BY(mu_)
  bool stopping_workers_ = false;         // GUARDED_BY(mu_)
  std::set<Active*> active_;              // GUARDED_BY(mu_)
};

}  // namespace telerad::dicom
