#include "src/monitoring/server_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/metric_family.h>

#include <stdexcept>

#include "src/accounts/scrape_token.h"
#include "src/accounts/sodium_password_hasher.h"
#include "tests/prometheus_text.h"
#include "tests/unit/fake_clock.h"

namespace telerad {
namespace {

using testing::ParsePrometheusText;
using testing::PromExposition;

PromExposition Parse(ServerMetrics& metrics) {
  const std::string text = metrics.Scrape();
  PromExposition e = ParsePrometheusText(text);
  EXPECT_TRUE(e.ok()) << e.error << "\n" << text;
  return e;
}

TEST(ServerMetricsTest, FreshScrapeParsesAndHasEveryFamilyWithItsType) {
  FakeClock clock;
  ServerMetrics metrics("1.2.3", clock);
  PromExposition e = Parse(metrics);
  const std::map<std::string, std::string> expected = {
      {"telerad_dicom_associations_active", "gauge"},
      {"telerad_dicom_associations_total", "counter"},
      {"telerad_dicom_instances_received_total", "counter"},
      {"telerad_dicom_instances_duplicate_total", "counter"},
      {"telerad_dicom_received_bytes_total", "counter"},
      {"telerad_dicom_store_failures_total", "counter"},
      {"telerad_dicom_origin_refusals_total", "counter"},
      {"telerad_dicom_echo_total", "counter"},
      {"telerad_dicom_store_timed_total", "counter"},
      {"telerad_dicom_store_stage_seconds_total", "counter"},
      {"telerad_db_pool_connections_in_use", "gauge"},
      {"telerad_db_pool_connections_open", "gauge"},
      {"telerad_db_pool_size", "gauge"},
      {"telerad_metrics_collect_errors_total", "counter"},
      {"telerad_process_start_time_seconds", "gauge"},
      {"telerad_build_info", "gauge"},
  };
  for (const auto& [name, type] : expected) {
    EXPECT_EQ(e.type[name], type) << name;
    EXPECT_FALSE(e.help[name].empty()) << name;
  }
  for (const auto& [name, type] : e.type) EXPECT_EQ(name.rfind("telerad_", 0), 0u) << name;
  EXPECT_EQ(e.Sum("telerad_build_info", {{"version", "1.2.3"}}), 1);

  // The HTTP families have a series per route, method (and status): they appear with
  // the first request.
  metrics.HttpRequest("/healthz", "GET", 200, 0.001);
  PromExposition after = Parse(metrics);
  EXPECT_EQ(after.type["telerad_http_requests_total"], "counter");
  EXPECT_EQ(after.type["telerad_http_request_duration_seconds"], "histogram");
  EXPECT_FALSE(after.help["telerad_http_requests_total"].empty());
  EXPECT_FALSE(after.help["telerad_http_request_duration_seconds"].empty());
}

// The process start time is the clock's reading when the metrics were built, and does
// not follow the clock afterwards.
TEST(ServerMetricsTest, ProcessStartTimeIsTheClocksTimeAtConstruction) {
  FakeClock clock(TimePoint(std::chrono::seconds(1740787200) + std::chrono::milliseconds(250)));
  ServerMetrics metrics("x", clock);
  clock.Advance(std::chrono::hours(5));
  PromExposition e = Parse(metrics);
  EXPECT_DOUBLE_EQ(e.Sum("telerad_process_start_time_seconds"), 1740787200.25);
}

TEST(ServerMetricsTest, EveryStoreFailureReasonIsExportedFromZero) {
  FakeClock clock;
  ServerMetrics metrics("x", clock);
  PromExposition e = Parse(metrics);
  EXPECT_EQ(e.Count("telerad_dicom_store_failures_total"), 7u);
  for (const char* reason :
       {"invalid", "sop_class", "conflict", "storage", "database", "network", "other"})
    EXPECT_EQ(e.Count("telerad_dicom_store_failures_total", {{"reason", reason}}), 1u) << reason;
  EXPECT_EQ(e.Sum("telerad_dicom_store_failures_total"), 0);
  EXPECT_EQ(e.Count("telerad_dicom_associations_total", {{"outcome", "accepted"}}), 1u);
  EXPECT_EQ(e.Count("telerad_dicom_associations_total", {{"outcome", "rejected"}}), 1u);
}

TEST(ServerMetricsTest, OriginRefusalsAreCountedByReasonFromZero) {
  FakeClock clock;
  ServerMetrics metrics("x", clock);
  PromExposition fresh = Parse(metrics);
  EXPECT_EQ(fresh.Count("telerad_dicom_origin_refusals_total"), 4u);
  EXPECT_EQ(fresh.Sum("telerad_dicom_origin_refusals_total"), 0);
  metrics.OriginRefused(OriginRefusal::kNetwork);
  metrics.OriginRefused(OriginRefusal::kCertificate);
  metrics.OriginRefused(OriginRefusal::kCertificate);
  metrics.OriginRefused(OriginRefusal::kTlsHandshake);
  PromExposition e = Parse(metrics);
  EXPECT_EQ(e.Sum("telerad_dicom_origin_refusals_total", {{"reason", "network"}}), 1);
  EXPECT_EQ(e.Sum("telerad_dicom_origin_refusals_total", {{"reason", "tls_required"}}), 0);
  EXPECT_EQ(e.Sum("telerad_dicom_origin_refusals_total", {{"reason", "certificate"}}), 2);
  EXPECT_EQ(e.Sum("telerad_dicom_origin_refusals_total", {{"reason", "tls_handshake"}}), 1);
}

TEST(ServerMetricsTest, DicomEventsMoveTheirCounters) {
  FakeClock clock;
  ServerMetrics metrics("x", clock);
  metrics.AssociationStarted();
  metrics.AssociationStarted();
  metrics.AssociationEnded();
  metrics.AssociationAccepted();
  metrics.AssociationRejected();
  metrics.AssociationRejected();
  metrics.InstanceReceived(1000, false);
  metrics.InstanceReceived(500, true);
  metrics.StoreFailed(StoreFailure::kDatabase);
  metrics.StoreFailed(StoreFailure::kInvalid);
  metrics.StoreFailed(StoreFailure::kInvalid);
  metrics.EchoAnswered();
  PromExposition e = Parse(metrics);
  EXPECT_EQ(e.Sum("telerad_dicom_associations_active"), 1);
  EXPECT_EQ(e.Sum("telerad_dicom_associations_total", {{"outcome", "accepted"}}), 1);
  EXPECT_EQ(e.Sum("telerad_dicom_associations_total", {{"outcome", "rejected"}}), 2);
  EXPECT_EQ(e.Sum("telerad_dicom_instances_received_total"), 2);
  EXPECT_EQ(e.Sum("telerad_dicom_instances_duplicate_total"), 1);
  EXPECT_EQ(e.Sum("telerad_dicom_received_bytes_total"), 1500);
  EXPECT_EQ(e.Sum("telerad_dicom_store_failures_total", {{"reason", "database"}}), 1);
  EXPECT_EQ(e.Sum("telerad_dicom_store_failures_total", {{"reason", "invalid"}}), 2);
  EXPECT_EQ(e.Sum("telerad_dicom_echo_total"), 1);
}

// Every stage is exported from the start, and each timed instance adds its seconds to
// its stage's series only.
TEST(ServerMetricsTest, StoreStageSecondsAddUpPerStage) {
  FakeClock clock;
  ServerMetrics metrics("x", clock);
  const char* const stages[] = {"receive", "check",        "lookup", "land",
                                "index",   "index_waited", "respond"};
  PromExposition fresh = Parse(metrics);
  for (const char* stage : stages)
    EXPECT_EQ(fresh.Count("telerad_dicom_store_stage_seconds_total", {{"stage", stage}}), 1u)
        << stage;
  StoreTimings t;
  t.receive = 0.5;
  t.check = 0.25;
  t.lookup = 0.125;
  t.land = 2;
  t.index = 1;
  t.index_waited = 0.75;
  t.respond = 0.0625;
  metrics.StoreTimed(t);
  metrics.StoreTimed(t);
  PromExposition e = Parse(metrics);
  EXPECT_EQ(e.Sum("telerad_dicom_store_timed_total"), 2);
  const double expected[] = {1, 0.5, 0.25, 4, 2, 1.5, 0.125};
  for (size_t i = 0; i < 7; ++i)
    EXPECT_DOUBLE_EQ(e.Sum("telerad_dicom_store_stage_seconds_total", {{"stage", stages[i]}}),
                     expected[i])
        << stages[i];
}

TEST(ServerMetricsTest, HttpRequestsAreCountedByRouteTemplateMethodAndStatus) {
  FakeClock clock;
  ServerMetrics metrics("x", clock);
  metrics.HttpRequest("/api/v1/studies/:study_uid", "GET", 200, 0.003);
  metrics.HttpRequest("/api/v1/studies/:study_uid", "GET", 200, 0.2);
  metrics.HttpRequest("/api/v1/studies/:study_uid", "GET", 404, 0.0004);
  metrics.HttpRequest(ServerMetrics::kUnmatchedRoute, "POST", 404, 20);
  PromExposition e = Parse(metrics);
  EXPECT_EQ(e.Sum("telerad_http_requests_total",
                  {{"route", "/api/v1/studies/:study_uid"}, {"method", "GET"}, {"status", "200"}}),
            2);
  EXPECT_EQ(e.Sum("telerad_http_requests_total", {{"status", "404"}}), 2);
  EXPECT_EQ(e.Sum("telerad_http_requests_total", {{"route", "unmatched"}, {"method", "POST"}}), 1);
  for (const auto& s : e.samples) {
    if (s.name == "telerad_http_requests_total") {
      EXPECT_EQ(s.labels.size(), 3u);
    }
  }

  // One bucket per boundary plus +Inf, per route and method; cumulative.
  const std::map<std::string, std::string> study_get = {{"route", "/api/v1/studies/:study_uid"},
                                                        {"method", "GET"}};
  EXPECT_EQ(e.Count("telerad_http_request_duration_seconds_bucket", study_get),
            ServerMetrics::DurationBuckets().size() + 1);
  EXPECT_EQ(ServerMetrics::DurationBuckets().front(), 0.001);
  EXPECT_EQ(ServerMetrics::DurationBuckets().back(), 10);
  auto bucket = [&](const std::string& le) {
    auto labels = study_get;
    labels["le"] = le;
    return e.Sum("telerad_http_request_duration_seconds_bucket", labels);
  };
  EXPECT_EQ(bucket("0.001"), 1);
  EXPECT_EQ(bucket("0.005"), 2);
  EXPECT_EQ(bucket("0.25"), 3);
  EXPECT_EQ(bucket("+Inf"), 3);
  EXPECT_EQ(e.Sum("telerad_http_request_duration_seconds_count", study_get), 3);
  EXPECT_NEAR(e.Sum("telerad_http_request_duration_seconds_sum", study_get), 0.2034, 1e-9);
  EXPECT_EQ(e.Sum("telerad_http_request_duration_seconds_count", {{"route", "unmatched"}}), 1);
}

TEST(ServerMetricsTest, PoolGaugesAreReadAtScrapeTime) {
  FakeClock clock;
  ServerMetrics metrics("x", clock);
  PoolUsage usage{1, 3, 22};
  metrics.WatchPool([&usage] { return usage; });
  PromExposition first = Parse(metrics);
  EXPECT_EQ(first.Sum("telerad_db_pool_connections_in_use"), 1);
  EXPECT_EQ(first.Sum("telerad_db_pool_connections_open"), 3);
  EXPECT_EQ(first.Sum("telerad_db_pool_size"), 22);
  usage.in_use = 2;
  EXPECT_EQ(Parse(metrics).Sum("telerad_db_pool_connections_in_use"), 2);
}

// What another component (the KPI families) plugs in: its families follow ours.
class FixedCollectable : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override {
    prometheus::MetricFamily family;
    family.name = "telerad_kpi_test_studies";
    family.help = "Test studies";
    family.type = prometheus::MetricType::Gauge;
    prometheus::ClientMetric metric;
    metric.label.push_back({"modality_class", "CT"});
    metric.gauge.value = 42;
    family.metric.push_back(metric);
    return {family};
  }
};

class FailingCollectable : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override {
    throw std::runtime_error("database unavailable");
  }
};

TEST(ServerMetricsTest, AddedCollectablesAreScrapedWithTheRegistry) {
  FakeClock clock;
  ServerMetrics metrics("x", clock);
  metrics.AddCollectable(std::make_shared<FixedCollectable>());
  PromExposition e = Parse(metrics);
  EXPECT_EQ(e.type["telerad_kpi_test_studies"], "gauge");
  EXPECT_EQ(e.Sum("telerad_kpi_test_studies", {{"modality_class", "CT"}}), 42);
  EXPECT_EQ(e.type["telerad_dicom_echo_total"], "counter");
}

TEST(ServerMetricsTest, AFailingCollectableIsLeftOutAndCounted) {
  FakeClock clock;
  ServerMetrics metrics("x", clock);
  metrics.AddCollectable(std::make_shared<FailingCollectable>());
  metrics.AddCollectable(std::make_shared<FixedCollectable>());
  PromExposition e = Parse(metrics);
  EXPECT_EQ(e.Sum("telerad_metrics_collect_errors_total"), 1);
  EXPECT_EQ(e.Sum("telerad_kpi_test_studies"), 42);
}

TEST(PrometheusTextTest, StrictParserRejectsMalformedExpositions) {
  using testing::ParsePrometheusText;
  EXPECT_TRUE(ParsePrometheusText("# TYPE a counter\na 1\n").ok());
  EXPECT_TRUE(ParsePrometheusText("# HELP a x\n# TYPE a gauge\na{b=\"c\\\"d\"} -1.5e3\n").ok());
  EXPECT_FALSE(ParsePrometheusText("# TYPE a counter\na 1").ok());         // no final newline
  EXPECT_FALSE(ParsePrometheusText("a 1\n").ok());                         // no TYPE
  EXPECT_FALSE(ParsePrometheusText("# TYPE a counter\na one\n").ok());     // not a number
  EXPECT_FALSE(ParsePrometheusText("# TYPE a counter\na{b=c} 1\n").ok());  // unquoted
  EXPECT_FALSE(ParsePrometheusText("# TYPE a counter\na 1\n# TYPE a counter\n").ok());
  EXPECT_FALSE(
      ParsePrometheusText("# TYPE a counter\na 1\n# TYPE b gauge\nb 1\na 2\n").ok());  // split
  EXPECT_FALSE(ParsePrometheusText("# TYPE h histogram\nh_bucket{le=\"1\"} 2\n"
                                   "h_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n")
                   .ok());  // falling buckets
}

TEST(ScrapeTokenTest, MatchesOnlyTheConfiguredToken) {
  ASSERT_TRUE(InitSodium());
  ScrapeToken token("s3cret-scrape-token-0123");
  EXPECT_TRUE(token.enabled());
  EXPECT_TRUE(token.Matches("s3cret-scrape-token-0123"));
  EXPECT_FALSE(token.Matches("s3cret-scrape-token-0124"));
  EXPECT_FALSE(token.Matches("s3cret-scrape-token-012"));
  EXPECT_FALSE(token.Matches(""));
}

TEST(ScrapeTokenTest, EmptyTokenDisablesScraping) {
  ASSERT_TRUE(InitSodium());
  ScrapeToken token("");
  EXPECT_FALSE(token.enabled());
  EXPECT_FALSE(token.Matches(""));
  EXPECT_FALSE(token.Matches("anything"));
}

}  // namespace
}  // namespace telerad
