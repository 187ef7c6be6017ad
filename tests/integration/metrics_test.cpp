// GET /metrics against the real server: DICOM stores by the real storescu and API calls
// move their counters, the whole exposition parses strictly, only ministry, admin and
// the configured scrape token get it, and no patient data or UID ever appears in it.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "tests/integration/harness.h"
#include "tests/prometheus_text.h"

namespace telerad::testing {
namespace {

constexpr const char* kScrapeToken = "scrape-token-for-the-metrics-test";

class MetricsTest : public ServerTest {
 protected:
  MetricsTest() { options_.env["TELERAD_METRICS_TOKEN"] = kScrapeToken; }

  // One scrape with `token`, parsed strictly (a parse failure fails the test).
  PromExposition Scrape(const std::string& token = kScrapeToken) {
    HttpResponse r = Http("GET", server_->http_port, "/metrics", "", token);
    EXPECT_EQ(r.status, 200) << r.body;
    last_text_ = r.body;
    PromExposition e = ParsePrometheusText(r.body);
    EXPECT_TRUE(e.ok()) << e.error << "\n" << r.body;
    return e;
  }

  // The server counts a request just after answering it, so a scrape may come a moment
  // before the count of the call that preceded it: scrape until `done` or 5 s.
  PromExposition ScrapeUntil(const std::function<bool(const PromExposition&)>& done) {
    PromExposition e;
    for (int i = 0; i < 50; ++i) {
      e = Scrape();
      if (done(e)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return e;
  }

  std::string last_text_;
};

TEST_F(MetricsTest, StoredInstancesAndBytesAndEchoesAreCounted) {
  const PromExposition before = Scrape();
  EXPECT_EQ(before.Sum("telerad_dicom_instances_received_total"), 0);
  const double accepted_before =
      before.Sum("telerad_dicom_associations_total", {{"outcome", "accepted"}});

  auto uids = Generate(data_, "--modality CT --instances 3 --rows 32 --cols 32 --seed 7101");
  ASSERT_EQ(uids.size(), 1u);
  auto files = FilesIn(data_);
  ASSERT_EQ(files.size(), 3u);
  size_t data_set_bytes = 0;
  for (const auto& f : files) data_set_bytes += DataSetBytes(f).size();
  StoreOutcome outcome = StoreScu(server_->dicom_port, files);
  ASSERT_EQ(outcome.stored.size(), 3u) << outcome.output;
  ASSERT_TRUE(EchoScu(server_->dicom_port, "DEMO_SCU"));
  // The same files again: answered Success as repeats.
  ASSERT_EQ(StoreScu(server_->dicom_port, files).stored.size(), 3u);
  // An unknown caller is refused at association.
  RunCommand("echoscu -aet STRANGER_AE -aec TELERAD 127.0.0.1 " +
             std::to_string(server_->dicom_port));

  PromExposition after = ScrapeUntil([](const PromExposition& e) {
    return e.Sum("telerad_dicom_associations_active") == 0 &&
           e.Sum("telerad_dicom_associations_total", {{"outcome", "rejected"}}) >= 1;
  });
  EXPECT_EQ(after.Sum("telerad_dicom_instances_received_total"), 6);
  EXPECT_EQ(after.Sum("telerad_dicom_instances_duplicate_total"), 3);
  // Each stored file is our meta header plus the data set exactly as sent.
  EXPECT_GT(after.Sum("telerad_dicom_received_bytes_total"), 2.0 * data_set_bytes);
  EXPECT_EQ(after.Sum("telerad_dicom_echo_total"), 1);
  EXPECT_EQ(after.Sum("telerad_dicom_associations_total", {{"outcome", "accepted"}}),
            accepted_before + 3);
  EXPECT_EQ(after.Sum("telerad_dicom_associations_total", {{"outcome", "rejected"}}), 1);
  EXPECT_EQ(after.Sum("telerad_dicom_associations_active"), 0);
  EXPECT_EQ(after.Sum("telerad_dicom_store_failures_total"), 0);
  EXPECT_EQ(after.Count("telerad_dicom_store_failures_total"), 7u);
  // Stage times: the three new instances only (repeats are not timed); each went through
  // every stage, and the index waited for the landing no longer than the landing took.
  EXPECT_EQ(after.Sum("telerad_dicom_store_timed_total"), 3);
  const auto stage = [&](const char* name) {
    return after.Sum("telerad_dicom_store_stage_seconds_total", {{"stage", name}});
  };
  for (const char* name : {"receive", "check", "lookup", "land", "index", "respond"})
    EXPECT_GT(stage(name), 0) << name;
  EXPECT_LE(stage("index_waited"), stage("land"));
  EXPECT_LE(stage("index_waited"), stage("index"));
  EXPECT_LT(stage("receive") + stage("check") + stage("index"), 60);  // seconds, not ms

  // Nothing about the patient or the study, nor the unknown caller's AE title.
  const std::string patient_name = db_.Scalar("SELECT split_part(patient_name, '^', 1) FROM study");
  const std::string patient_id = db_.Scalar("SELECT patient_id FROM study");
  ASSERT_FALSE(patient_name.empty());
  ASSERT_FALSE(patient_id.empty());
  for (const std::string& secret : {patient_name, patient_id, uids[0], SopInstanceUidOf(files[0]),
                                    std::string("STRANGER_AE"), std::string("DEMO_SCU")})
    EXPECT_EQ(last_text_.find(secret), std::string::npos) << secret;
}

TEST_F(MetricsTest, HttpRequestsAreCountedByRouteTemplateMethodAndStatus) {
  const std::string uid = ReadyStudies(1, 7201)[0];
  const std::string token = Login(server_->http_port, "rad1");
  ASSERT_EQ(Http("GET", server_->http_port, "/api/v1/studies/" + uid, "", token).status, 200);
  ASSERT_EQ(Http("GET", server_->http_port, "/api/v1/studies/" + uid, "", token).status, 200);
  ASSERT_EQ(Http("GET", server_->http_port, "/api/v1/studies/1.2.3.999", "", token).status, 404);
  ASSERT_EQ(Http("GET", server_->http_port, "/api/v1/worklist").status, 401);
  ASSERT_EQ(Http("GET", server_->http_port, "/no/such/" + uid).status, 404);
  ASSERT_EQ(Http("DELETE", server_->http_port, "/no/such/path", "", token).status, 404);

  const std::string study_route = "/api/v1/studies/:study_uid";
  PromExposition e = ScrapeUntil([&](const PromExposition& x) {
    return x.Sum("telerad_http_requests_total", {{"route", "unmatched"}}) >= 2 &&
           x.Sum("telerad_http_requests_total", {{"route", "/metrics"}}) >= 1;
  });
  EXPECT_EQ(e.Sum("telerad_http_requests_total",
                  {{"route", study_route}, {"method", "GET"}, {"status", "200"}}),
            2);
  EXPECT_EQ(e.Sum("telerad_http_requests_total",
                  {{"route", study_route}, {"method", "GET"}, {"status", "404"}}),
            1);
  EXPECT_EQ(e.Sum("telerad_http_requests_total",
                  {{"route", "/api/v1/auth/login"}, {"method", "POST"}, {"status", "200"}}),
            1);
  EXPECT_EQ(e.Sum("telerad_http_requests_total",
                  {{"route", "/api/v1/worklist"}, {"method", "GET"}, {"status", "401"}}),
            1);
  EXPECT_EQ(e.Sum("telerad_http_requests_total",
                  {{"route", "unmatched"}, {"method", "GET"}, {"status", "404"}}),
            1);
  EXPECT_EQ(e.Sum("telerad_http_requests_total",
                  {{"route", "unmatched"}, {"method", "DELETE"}, {"status", "404"}}),
            1);
  // Scrapes are requests too (the one before this one at least).
  EXPECT_GE(e.Sum("telerad_http_requests_total",
                  {{"route", "/metrics"}, {"method", "GET"}, {"status", "200"}}),
            1);
  // Every route label is a template (or "unmatched"), never a concrete path.
  for (const auto& s : e.samples) {
    if (s.labels.count("route") == 0) continue;
    const std::string& route = s.labels.at("route");
    EXPECT_TRUE(route == "unmatched" || route == "/metrics" || route == "/healthz" ||
                route == "/readyz" || route.rfind("/api/v1/", 0) == 0)
        << route;
    EXPECT_EQ(route.find(uid), std::string::npos);
  }

  // The duration histogram: every bucket from 1 ms to 10 s plus +Inf for the route.
  const std::map<std::string, std::string> study_get = {{"route", study_route}, {"method", "GET"}};
  EXPECT_EQ(e.type["telerad_http_request_duration_seconds"], "histogram");
  EXPECT_EQ(e.Count("telerad_http_request_duration_seconds_bucket", study_get), 14u);
  for (const char* le : {"0.001", "0.01", "0.1", "1", "10", "+Inf"}) {
    auto labels = study_get;
    labels["le"] = le;
    EXPECT_EQ(e.Count("telerad_http_request_duration_seconds_bucket", labels), 1u) << le;
  }
  EXPECT_EQ(e.Sum("telerad_http_request_duration_seconds_count", study_get), 3);
  EXPECT_GT(e.Sum("telerad_http_request_duration_seconds_sum", study_get), 0);

  // The pool has served these requests: it has a size and open connections.
  EXPECT_GT(e.Sum("telerad_db_pool_size"), 0);
  EXPECT_GT(e.Sum("telerad_db_pool_connections_open"), 0);
  EXPECT_GE(e.Sum("telerad_db_pool_connections_in_use"), 0);
  EXPECT_EQ(e.Count("telerad_build_info"), 1u);

  const std::string patient_name = db_.Scalar("SELECT split_part(patient_name, '^', 1) FROM study");
  ASSERT_FALSE(patient_name.empty());
  EXPECT_EQ(last_text_.find(patient_name), std::string::npos);
  EXPECT_EQ(last_text_.find(uid), std::string::npos);
  EXPECT_EQ(last_text_.find("rad1"), std::string::npos);
}

TEST_F(MetricsTest, OnlyMinistryAdminAndTheScrapeTokenMayScrape) {
  const int port = server_->http_port;
  HttpResponse anonymous = Http("GET", port, "/metrics");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.json["error"]["code"], "unauthenticated") << anonymous.body;
  HttpResponse wrong = Http("GET", port, "/metrics", "", std::string(kScrapeToken) + "x");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_TRUE(wrong.json["error"].contains("message")) << wrong.body;

  for (const char* user : {"rad1", "fac1", "spec1"}) {
    HttpResponse r = Http("GET", port, "/metrics", "", Login(port, user));
    EXPECT_EQ(r.status, 403) << user;
    EXPECT_EQ(r.json["error"]["code"], "permission_denied") << user << " " << r.body;
  }
  for (const std::string& token :
       {Login(port, "ministry1"), Login(port, "admin"), std::string(kScrapeToken)}) {
    HttpResponse r = Http("GET", port, "/metrics", "", token);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(ParsePrometheusText(r.body).ok());
  }

  CommandResult type = RunCommand("curl -s -o /dev/null -w '%{content_type}' -H " +
                                  Quote(std::string("Authorization: Bearer ") + kScrapeToken) +
                                  " http://127.0.0.1:" + std::to_string(port) + "/metrics");
  EXPECT_NE(type.output.find("text/plain"), std::string::npos) << type.output;
  EXPECT_NE(type.output.find("version=0.0.4"), std::string::npos) << type.output;
  EXPECT_NE(type.output.find("charset=utf-8"), std::string::npos) << type.output;

  // Scrapes are not patient-data reads: no audit entry, and the token is never logged.
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM audit_event WHERE action NOT LIKE 'auth.%'"), "0");
  EXPECT_EQ(server_->Log().find(kScrapeToken), std::string::npos);
}

class MetricsWithoutTokenTest : public ServerTest {};

TEST_F(MetricsWithoutTokenTest, NoTokenIsAcceptedWhenNoneIsConfigured) {
  HttpResponse r = Http("GET", server_->http_port, "/metrics", "", kScrapeToken);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Http("GET", server_->http_port, "/metrics", "", "").status, 401);
  EXPECT_EQ(
      Http("GET", server_->http_port, "/metrics", "", Login(server_->http_port, "admin")).status,
      200);
}

}  // namespace
}  // namespace telerad::testing
