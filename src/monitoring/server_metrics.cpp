#include "src/monitoring/server_metrics.h"

#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <chrono>

#include "src/base/logging.h"

namespace telerad {
namespace {

constexpr std::array<StoreFailure, 7> kStoreFailures = {
    StoreFailure::kInvalid, StoreFailure::kSopClass, StoreFailure::kConflict,
    StoreFailure::kStorage, StoreFailure::kDatabase, StoreFailure::kNetwork,
    StoreFailure::kOther};

prometheus::Family<prometheus::Counter>& CounterFamily(prometheus::Registry& r, const char* name,
                                                       const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(r);
}

prometheus::Family<prometheus::Gauge>& GaugeFamily(prometheus::Registry& r, const char* name,
                                                   const char* help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r);
}

double UnixSeconds(TimePoint t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace

constexpr std::array<OriginRefusal, 4> kOriginRefusals = {
    OriginRefusal::kNetwork, OriginRefusal::kTlsRequired, OriginRefusal::kCertificate,
    OriginRefusal::kTlsHandshake};

const char* ToString(OriginRefusal reason) {
  switch (reason) {
    case OriginRefusal::kNetwork:
      return "network";
    case OriginRefusal::kTlsRequired:
      return "tls_required";
    case OriginRefusal::kCertificate:
      return "certificate";
    case OriginRefusal::kTlsHandshake:
      return "tls_handshake";
  }
  return "network";
}

const char* ToString(StoreFailure reason) {
  switch (reason) {
    case StoreFailure::kInvalid:
      return "invalid";
    case StoreFailure::kSopClass:
      return "sop_class";
    case StoreFailure::kConflict:
      return "conflict";
    case StoreFailure::kStorage:
      return "storage";
    case StoreFailure::kDatabase:
      return "database";
    case StoreFailure::kNetwork:
      return "network";
    case StoreFailure::kOther:
      return "other";
  }
  return "other";
}

const std::vector<double>& ServerMetrics::DurationBuckets() {
  static const std::vector<double> buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                              0.25,  0.5,    1,     2.5,  5,     10};
  return buckets;
}

ServerMetrics::ServerMetrics(const std::string& version, const Clock& clock)
    : registry_(std::make_shared<prometheus::Registry>()),
      associations_active_(GaugeFamily(*registry_, "telerad_dicom_associations_active",
                                       "DICOM associations being served now")
                               .Add({})),
      instances_received_(CounterFamily(*registry_, "telerad_dicom_instances_received_total",
                                        "DICOM instances answered with Success (new and repeats)")
                              .Add({})),
      instances_duplicate_(
          CounterFamily(*registry_, "telerad_dicom_instances_duplicate_total",
                        "DICOM instances answered with Success that were stored before")
              .Add({})),
      bytes_received_(CounterFamily(*registry_, "telerad_dicom_received_bytes_total",
                                    "Bytes of the DICOM files answered with Success")
                          .Add({})),
      echoes_(CounterFamily(*registry_, "telerad_dicom_echo_total", "C-ECHO requests answered")
                  .Add({})),
      stores_timed_(CounterFamily(*registry_, "telerad_dicom_store_timed_total",
                                  "New DICOM instances whose stage times are in "
                                  "telerad_dicom_store_stage_seconds_total")
                        .Add({})),
      http_requests_(CounterFamily(*registry_, "telerad_http_requests_total",
                                   "HTTP requests answered, by route template, method and status")),
      http_duration_(prometheus::BuildHistogram()
                         .Name("telerad_http_request_duration_seconds")
                         .Help("Time from a request's dispatch to its answer, by route template "
                               "and method")
                         .Register(*registry_)),
      pool_in_use_(GaugeFamily(*registry_, "telerad_db_pool_connections_in_use",
                               "Database connections leased to a running transaction")
                       .Add({})),
      pool_open_(GaugeFamily(*registry_, "telerad_db_pool_connections_open",
                             "Database connections open (leased or idle)")
                     .Add({})),
      pool_size_(GaugeFamily(*registry_, "telerad_db_pool_size",
                             "The most database connections the pool opens")
                     .Add({})),
      collect_errors_(CounterFamily(*registry_, "telerad_metrics_collect_errors_total",
                                    "Scrapes in which an added metrics collector failed")
                          .Add({})) {
  auto& associations =
      CounterFamily(*registry_, "telerad_dicom_associations_total",
                    "DICOM associations requested, by outcome (accepted or rejected)");
  associations_accepted_ = &associations.Add({{"outcome", "accepted"}});
  associations_rejected_ = &associations.Add({{"outcome", "rejected"}});
  auto& failures = CounterFamily(*registry_, "telerad_dicom_store_failures_total",
                                 "C-STORE requests not answered with Success, by reason");
  // Every reason is exported from the start (at 0), so rate() sees the first failure.
  for (StoreFailure reason : kStoreFailures)
    store_failures_[static_cast<size_t>(reason)] = &failures.Add({{"reason", ToString(reason)}});
  auto& origin = CounterFamily(*registry_, "telerad_dicom_origin_refusals_total",
                               "DICOM connections and associations refused for where they came "
                               "from (network, TLS, client certificate), by reason");
  for (OriginRefusal reason : kOriginRefusals)
    origin_refusals_[static_cast<size_t>(reason)] = &origin.Add({{"reason", ToString(reason)}});
  auto& cut = CounterFamily(*registry_, "telerad_dicom_associations_cut_total",
                            "Accepted DICOM associations the server cut, by reason: too_long "
                            "(past dicom_association_max), too_slow (a data set arriving "
                            "slower than dicom_min_rate)");
  associations_cut_[static_cast<size_t>(AssociationCut::kTooLong)] =
      &cut.Add({{"reason", "too_long"}});
  associations_cut_[static_cast<size_t>(AssociationCut::kTooSlow)] =
      &cut.Add({{"reason", "too_slow"}});
  auto& landing = CounterFamily(*registry_, "telerad_landing_files_total",
                                "Landed DICOM files handled by the settler, by outcome: settled "
                                "(moved into place), reindexed (their index row made again "
                                "from the file), orphaned (set aside: not indexable), removed "
                                "(a duplicate named by no row)");
  const char* outcomes[] = {"settled", "reindexed", "orphaned", "removed"};
  for (size_t i = 0; i < landing_.size(); ++i)
    landing_[i] = &landing.Add({{"outcome", outcomes[i]}});
  auto& stages = CounterFamily(
      *registry_, "telerad_dicom_store_stage_seconds_total",
      "Seconds new DICOM instances spent in each stage of a C-STORE: receive, check, lookup, "
      "land (on its own thread, beside index), index, index_waited (of index, waiting for the "
      "landing), respond");
  const char* stage_names[] = {"receive", "check",        "lookup", "land",
                               "index",   "index_waited", "respond"};
  for (size_t i = 0; i < store_stages_.size(); ++i)
    store_stages_[i] = &stages.Add({{"stage", stage_names[i]}});
  GaugeFamily(*registry_, "telerad_process_start_time_seconds",
              "Start time of the process since the Unix epoch, seconds")
      .Add({})
      .Set(UnixSeconds(clock.Now()));
  GaugeFamily(*registry_, "telerad_build_info", "The running build; the value is always 1")
      .Add({{"version", version}})
      .Set(1);
}

void ServerMetrics::AssociationStarted() { associations_active_.Increment(); }
void ServerMetrics::AssociationEnded() { associations_active_.Decrement(); }
void ServerMetrics::AssociationAccepted() { associations_accepted_->Increment(); }
void ServerMetrics::AssociationRejected() { associations_rejected_->Increment(); }
void ServerMetrics::OriginRefused(OriginRefusal reason) {
  origin_refusals_[static_cast<size_t>(reason)]->Increment();
}

void ServerMetrics::AssociationCutShort(AssociationCut reason) {
  associations_cut_[static_cast<size_t>(reason)]->Increment();
}

void ServerMetrics::InstanceReceived(uint64_t bytes, bool duplicate) {
  instances_received_.Increment();
  if (duplicate) instances_duplicate_.Increment();
  bytes_received_.Increment(static_cast<double>(bytes));
}

void ServerMetrics::StoreFailed(StoreFailure reason) {
  store_failures_[static_cast<size_t>(reason)]->Increment();
}

void ServerMetrics::StoreTimed(const StoreTimings& t) {
  const double seconds[] = {t.receive, t.check,        t.lookup, t.land,
                            t.index,   t.index_waited, t.respond};
  static_assert(sizeof(seconds) / sizeof(seconds[0]) == std::tuple_size<decltype(store_stages_)>{});
  stores_timed_.Increment();
  for (size_t i = 0; i < store_stages_.size(); ++i)
    if (seconds[i] > 0) store_stages_[i]->Increment(seconds[i]);
}

void ServerMetrics::EchoAnswered() { echoes_.Increment(); }

void ServerMetrics::LandedFilesSettled(int settled, int reindexed, int orphaned, int removed) {
  const int counts[] = {settled, reindexed, orphaned, removed};
  for (size_t i = 0; i < landing_.size(); ++i)
    if (counts[i] > 0) landing_[i]->Increment(counts[i]);
}

void ServerMetrics::HttpRequest(const std::string& route, const char* method, int status,
                                double seconds) {
  http_requests_.Add({{"route", route}, {"method", method}, {"status", std::to_string(status)}})
      .Increment();
  http_duration_.Add({{"route", route}, {"method", method}}, DurationBuckets()).Observe(seconds);
}

void ServerMetrics::WatchPool(std::function<PoolUsage()> usage) { pool_usage_ = std::move(usage); }

void ServerMetrics::AddCollectable(std::shared_ptr<prometheus::Collectable> collectable) {
  std::lock_guard<std::mutex> lock(extra_mu_);
  extra_.push_back(std::move(collectable));
}

std::string ServerMetrics::Scrape() {
  if (pool_usage_) {
    const PoolUsage usage = pool_usage_();
    pool_in_use_.Set(usage.in_use);
    pool_open_.Set(usage.open);
    pool_size_.Set(usage.size);
  }
  std::vector<std::shared_ptr<prometheus::Collectable>> extra;
  {
    std::lock_guard<std::mutex> lock(extra_mu_);
    extra = extra_;
  }
  std::vector<prometheus::MetricFamily> extra_families;
  for (const auto& collectable : extra) {
    try {
      auto families = collectable->Collect();
      extra_families.insert(extra_families.end(), std::make_move_iterator(families.begin()),
                            std::make_move_iterator(families.end()));
    } catch (const std::exception& e) {
      collect_errors_.Increment();
      CoreLog().warn("event=metrics_collect_failed reason=\"{}\"", FirstLine(e.what()));
    }
  }
  // Collected after the extras, so a failure counted above shows in this very scrape.
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  families.insert(families.end(), std::make_move_iterator(extra_families.begin()),
                  std::make_move_iterator(extra_families.end()));
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace telerad
