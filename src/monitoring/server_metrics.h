// ServerMetrics: the process's Prometheus metrics (server health: DICOM door, HTTP door,
// database pool, process) and the one place a scrape is serialised.
//
// Holds a prometheus::Registry with the telerad_* families below, plus any number of
// extra prometheus::Collectable objects (e.g. KPI families computed from PostgreSQL at
// scrape time); Scrape() serialises all of them in the text exposition format 0.0.4.
// No label carries an unbounded or patient-derived value: routes are templates, reasons
// and outcomes come from fixed sets, never a UID, an AE title, a username or a raw path.
//
// Thread-safe: the event methods are called from every DICOM worker and HTTP reactor
// thread at once (prometheus-cpp's metrics are thread-safe), Scrape() from any thread.
// The families live as long as this object; doors hold it by reference.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "src/base/clock.h"

namespace telerad {

// Why a C-STORE was not answered with Success: a small fixed set, one label value each.
enum class StoreFailure {
  kInvalid,   // unreadable or unindexable data set (bad UIDs, truncated, wrong instance)
  kSopClass,  // SOP class not accepted, or the data set's differs from the request's
  kConflict,  // its UIDs belong to another facility's study or another study
  kStorage,   // the file could not be written or made durable (disk full, I/O error)
  kDatabase,  // the index could not be written (database unavailable)
  kNetwork,   // the data set did not arrive whole (peer or network failure)
  kOther,     // anything else (internal error)
};
const char* ToString(StoreFailure reason);

// Why a connection or association was refused for where it came from (issue 12, who is
// really sending): a fixed set, one label value each.
enum class OriginRefusal {
  kNetwork,       // peer address outside the facility's allowed networks
  kTlsRequired,   // plain association from a facility that must use TLS
  kCertificate,   // over TLS: no certificate registered for the facility, or another one
  kTlsHandshake,  // TLS handshake failed (no valid client certificate, not TLS at all)
};
const char* ToString(OriginRefusal reason);

// Why the server cut an association it had accepted.
enum class AssociationCut {
  kTooLong,  // past dicom_association_max
  kTooSlow,  // a data set arriving slower than dicom_min_rate
};

// Where one stored instance's time went, seconds (an instance answered Success that was
// new, not a repeat). The landing runs on its own thread while the index statements run,
// so `land` overlaps `index`; `index_waited` is the part of `index` spent waiting for the
// landing before COMMIT: land - index_waited of the flush was hidden behind the index.
struct StoreTimings {
  double receive = 0;       // the data set read from the network (DCMTK writes it to the staging
                            // file's page cache as each PDU arrives, so the file write is in here)
  double check = 0;         // completeness, the nesting screen and the one parse of the header
  double lookup = 0;        // whether the instance is indexed already (one statement)
  double land = 0;          // the file's fsync, its rename into landing/ and the folder's fsync
  double index = 0;         // the index transaction, its COMMIT included
  double index_waited = 0;  // of `index`: waiting for the landing to finish
  double respond = 0;       // the C-STORE response sent
};

// What the database pool reports at scrape time (PgPool::InUse, Open, Size).
struct PoolUsage {
  int in_use = 0;  // connections leased to a running transaction
  int open = 0;    // connections open (leased or idle)
  int size = 0;    // the most the pool opens
};

class ServerMetrics {
 public:
  // Request duration buckets, seconds: 1 ms to 10 s.
  static const std::vector<double>& DurationBuckets();

  // `version`: the build's version, exported as telerad_build_info{version}. `clock` is
  // read here only, for telerad_process_start_time_seconds (its Now()); it need not
  // outlive this object.
  ServerMetrics(const std::string& version, const Clock& clock);
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // DICOM door.
  void AssociationStarted();  // a worker took an association: active + 1
  void AssociationEnded();    // its worker finished with it: active - 1
  void AssociationAccepted();
  void AssociationRejected();  // refused by policy, or no worker free
  // An instance answered Success; `bytes` is its stored file's size. `duplicate`: it was
  // stored before (an idempotent repeat).
  void InstanceReceived(uint64_t bytes, bool duplicate);
  void StoreFailed(StoreFailure reason);
  // Adds a new instance's stage times to telerad_dicom_store_stage_seconds_total.
  void StoreTimed(const StoreTimings& timings);
  void EchoAnswered();
  // Also counted as a rejected association (AssociationRejected) by its caller.
  void OriginRefused(OriginRefusal reason);
  void AssociationCutShort(AssociationCut reason);

  // Landing settler (src/ingest/landing_settler.h), one pass: files moved into place, of
  // those the ones whose index row had to be made again, files set aside in the orphans
  // folder (someone must look), and losing duplicates removed.
  void LandedFilesSettled(int settled, int reindexed, int orphaned, int removed);

  // HTTP door: one answered request. `route` is the route template as installed
  // (/api/v1/studies/:study_uid), or "unmatched" when no route took the request; never a
  // concrete path. `method` as on the wire (GET).
  void HttpRequest(const std::string& route, const char* method, int status, double seconds);
  static constexpr const char* kUnmatchedRoute = "unmatched";

  // Reads the database pool's usage at every scrape. `usage` must be callable from any
  // thread for as long as this object lives. REQUIRES: called during wiring, before
  // serving (not synchronised against Scrape()).
  void WatchPool(std::function<PoolUsage()> usage);

  // Adds a collectable whose families are appended to every scrape, after this object's
  // own (e.g. the KPI families, computed at scrape time). Its Collect() is called from
  // the scraping thread; if it throws, its families are left out of that scrape, the
  // failure is logged and counted (telerad_metrics_collect_errors_total). Its family
  // names must begin with telerad_ and must not repeat one of ours. Thread-safe.
  void AddCollectable(std::shared_ptr<prometheus::Collectable> collectable);

  // The text exposition (format 0.0.4) of every family: this registry's, then each added
  // collectable's. Thread-safe.
  std::string Scrape();

  // The registry, for a component that wants to register plain counters of its own.
  prometheus::Registry& registry() { return *registry_; }

 private:
  std::shared_ptr<prometheus::Registry> registry_;

  prometheus::Gauge& associations_active_;
  prometheus::Counter& instances_received_;
  prometheus::Counter& instances_duplicate_;
  prometheus::Counter& bytes_received_;
  prometheus::Counter* associations_accepted_ = nullptr;
  prometheus::Counter* associations_rejected_ = nullptr;
  std::array<prometheus::Counter*, 7> store_failures_{};    // by StoreFailure
  std::array<prometheus::Counter*, 4> origin_refusals_{};   // by OriginRefusal
  std::array<prometheus::Counter*, 2> associations_cut_{};  // by AssociationCut
  prometheus::Counter& echoes_;
  prometheus::Counter& stores_timed_;
  std::array<prometheus::Counter*, 7> store_stages_{};  // StoreTimings' fields, in order
  std::array<prometheus::Counter*, 4> landing_{};       // settled, reindexed, orphaned, removed

  prometheus::Family<prometheus::Counter>& http_requests_;
  prometheus::Family<prometheus::Histogram>& http_duration_;

  prometheus::Gauge& pool_in_use_;
  prometheus::Gauge& pool_open_;
  prometheus::Gauge& pool_size_;
  std::function<PoolUsage()> pool_usage_;

  prometheus::Counter& collect_errors_;
  std::mutex extra_mu_;
  std::vector<std::shared_ptr<prometheus::Collectable>> extra_;  // GUARDED_BY(extra_mu_)
};

}  // namespace telerad
