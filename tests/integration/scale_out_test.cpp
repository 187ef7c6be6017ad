// Two telerad processes on one PostgreSQL and one storage root behind HAProxy
// (docker/haproxy/telerad-scale.cfg, the balancer of docker/compose.yaml): a process
// killed mid-send loses no acknowledged instance and its senders land on the survivor;
// a session and a claim made through one process hold on the other; and the background
// work (stability sweep, report delivery, KPI counters) is done once, not once per process.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <pqxx/pqxx>
#include <regex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "tests/integration/harness.h"
#include "tests/integration/load_balancer.h"
#include "tests/prometheus_text.h"

namespace telerad::testing {
namespace {

constexpr const char* kScrapeToken = "scrape-token-for-the-scale-out-test";

class ScaleOutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = MakeTempDir("telerad-data");
    storage_ = MakeTempDir("telerad-storage");
    TeleradServer::Options options;
    options.storage = storage_;  // one storage root for both processes
    options.env["TELERAD_HTTP_TRUSTED_PROXIES"] = "127.0.0.1";
    options.env["TELERAD_METRICS_TOKEN"] = kScrapeToken;
    options.env["TELERAD_DELIVERY_RETRY_BASE"] = "1";
    first_ = std::make_unique<TeleradServer>(db_, options);
    second_ = std::make_unique<TeleradServer>(db_, options);
    first_->Start();
    second_->Start();
    // Accounts of our own: demo accounts are refused through a proxy (README, "Known
    // limitations"). They share rad1's password hash, so Login()'s default password works.
    for (const char* name : {"reader1", "reader2"})
      db_.Scalar(std::string("INSERT INTO app_user (username, role, password_hash) SELECT '") +
                 name + "', 'radiologist', password_hash FROM app_user WHERE username = 'rad1'");
  }
  void TearDown() override {
    first_.reset();
    second_.reset();
    std::filesystem::remove_all(data_);
    std::filesystem::remove_all(storage_);
  }

  // Polls `sql` until it answers `expected` (or ~timeout_s); the last answer.
  std::string WaitFor(const std::string& sql, const std::string& expected, int timeout_s = 60) {
    std::string value;
    for (int i = 0; i < timeout_s * 10; ++i) {
      value = db_.Scalar(sql);
      if (value == expected) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return value;
  }

  // Sum of `key=<n>` over the lines of `log` that carry `event`.
  static int SumOfEvents(const std::string& log, const std::string& event, const std::string& key) {
    const std::regex line("event=" + event + "\\b.*\\b" + key + "=([0-9]+)");
    int sum = 0;
    for (std::sregex_iterator it(log.begin(), log.end(), line), end; it != end; ++it)
      sum += std::stoi((*it)[1]);
    return sum;
  }

  static PromExposition Scrape(int port) {
    HttpResponse r = Http("GET", port, "/metrics", "", kScrapeToken);
    EXPECT_EQ(r.status, 200) << r.body;
    PromExposition e = ParsePrometheusText(r.body);
    EXPECT_TRUE(e.ok()) << e.error;
    return e;
  }

  TestDatabase db_;
  std::string data_, storage_;
  std::unique_ptr<TeleradServer> first_, second_;
};

// The files of a folder of this process's staging area (`.staging/<host>/p-*`).
std::set<std::string> StagingFolders(const std::string& storage) {
  std::set<std::string> folders;
  for (const auto& host : std::filesystem::directory_iterator(storage + "/.staging"))
    for (const auto& folder : std::filesystem::directory_iterator(host.path()))
      folders.insert(folder.path().string());
  return folders;
}

TEST_F(ScaleOutTest, KillingOneProcessMidSendLosesNoAcknowledgedInstanceAndRetriesLandOnTheOther) {
  if (!HaproxyInstalled()) GTEST_SKIP() << "haproxy is not installed (./scripts/test installs it)";
  LoadBalancer balancer(*first_, *second_);
  ASSERT_TRUE(balancer.WaitUntilServing()) << balancer.Log();

  constexpr int kSenders = 4, kInstances = 100;
  for (int i = 0; i < kSenders; ++i)
    Generate(data_ + "/" + std::to_string(i),
             "--modality CT --instances " + std::to_string(kInstances) +
                 " --rows 256 --cols 256 --seed " + std::to_string(1500 + i));
  std::vector<std::future<StoreOutcome>> senders;
  for (int i = 0; i < kSenders; ++i)
    senders.push_back(std::async(std::launch::async, [&, i] {
      return StoreScu(balancer.dicom_port, FilesIn(data_ + "/" + std::to_string(i)));
    }));
  // Kill the first process once instances flow, while all four associations are busy
  // (leastconn gives each process two of them).
  for (int i = 0; i < 1500 && std::stoi("0" + db_.Scalar("SELECT count(*) FROM instance")) < 60;
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  first_->Kill();

  std::set<std::string> acknowledged;
  std::vector<std::vector<std::string>> unacknowledged(kSenders);
  for (int i = 0; i < kSenders; ++i) {
    StoreOutcome outcome = senders[i].get();
    const std::set<std::string> stored(outcome.stored.begin(), outcome.stored.end());
    for (const auto& f : outcome.stored) acknowledged.insert(SopInstanceUidOf(f));
    for (const auto& f : FilesIn(data_ + "/" + std::to_string(i)))
      if (!stored.count(f)) unacknowledged[i].push_back(f);
  }
  ASSERT_GT(acknowledged.size(), 0u);
  ASSERT_LT(acknowledged.size(), static_cast<size_t>(kSenders * kInstances))
      << "the kill came too late to cut any association";

  // Every instance acknowledged before the kill is indexed, once, with its file.
  for (const auto& sop : acknowledged) {
    const std::string key =
        db_.Scalar("SELECT storage_key FROM instance WHERE sop_instance_uid = '" + sop + "'");
    ASSERT_FALSE(key.empty()) << "acknowledged but not indexed: " << sop;
    EXPECT_TRUE(std::filesystem::exists(storage_ + "/" + key)) << key;
  }

  // The senders whose association died retry what was not acknowledged, through the
  // same balancer: with the first process dead, only the second can answer Success.
  // An instance the dead process indexed but never acknowledged comes back as a
  // duplicate: also a Success, also the survivor's.
  auto answered_by_second = [&] {
    const std::string log = second_->Log();
    return SumOfEvents(log, "association_ended", "stored") +
           SumOfEvents(log, "association_ended", "duplicates");
  };
  const int answered_before = answered_by_second();
  size_t retried = 0;
  for (int i = 0; i < kSenders; ++i) {
    if (unacknowledged[i].empty()) continue;
    StoreOutcome retry = StoreScu(balancer.dicom_port, unacknowledged[i]);
    EXPECT_TRUE(retry.failed.empty()) << retry.output;
    EXPECT_EQ(retry.stored.size(), unacknowledged[i].size()) << retry.output;
    retried += retry.stored.size();
  }
  EXPECT_GT(retried, 0u);
  std::printf(
      "[ figures  ] %zu of %d instances acknowledged before the kill, %zu re-sent to the "
      "survivor\n",
      acknowledged.size(), kSenders * kInstances, retried);
  EXPECT_EQ(answered_by_second() - answered_before, static_cast<int>(retried))
      << "retried instances must be stored by the survivor";

  // Everything is in, each instance once, and the studies' counters agree (an instance
  // stored by the dead process and resent counts once).
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance"), std::to_string(kSenders * kInstances));
  EXPECT_EQ(db_.Scalar("SELECT count(DISTINCT sop_instance_uid) FROM instance"),
            std::to_string(kSenders * kInstances));
  EXPECT_EQ(db_.Scalar("SELECT string_agg(DISTINCT num_instances::text, ',') FROM study"),
            std::to_string(kInstances));
  // Each indexed instance has its file in its final place: the survivor's settler moves
  // there what either process landed (README, "Durability"), the dead one's included,
  // within about a second of each pass (polled for up to a minute on a loaded machine).
  pqxx::connection conn(db_.url());
  pqxx::nontransaction txn(conn);
  std::vector<std::string> keys;
  for (const auto& row : txn.exec("SELECT storage_key FROM instance"))
    keys.push_back(row[0].as<std::string>());
  std::vector<std::string> missing = keys;
  for (int i = 0; i < 600 && !missing.empty(); ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    missing.clear();
    for (const auto& key : keys)
      if (!std::filesystem::exists(storage_ + "/" + key)) missing.push_back(key);
  }
  EXPECT_TRUE(missing.empty()) << missing.size() << " indexed instances without their file, e.g. "
                               << (missing.empty() ? "" : missing.front());
  // And each study went to the worklist once.
  EXPECT_EQ(WaitFor("SELECT count(*) FROM study WHERE status = 'ready'", "4"), "4");

  // The killed process comes back on the same root while the second one lives: it
  // removes what it was receiving when it died, and nothing of the second's staging.
  const std::set<std::string> before_restart = StagingFolders(storage_);
  first_->Start();
  const std::set<std::string> after_restart = StagingFolders(storage_);
  ASSERT_EQ(before_restart.size(), 2u);  // the dead process's and the survivor's
  EXPECT_EQ(after_restart.size(), 2u);   // the survivor's and the restarted one's
  EXPECT_TRUE(PartialStagingFiles(storage_).empty());
  std::vector<std::string> kept, survivor_files;
  for (const auto& folder : before_restart)
    if (after_restart.count(folder)) kept.push_back(folder);
  ASSERT_EQ(kept.size(), 1u) << "the dead folder was kept, or the survivor's removed";
  // The survivor's files made ahead of need are still there for it.
  for (const auto& f : std::filesystem::directory_iterator(kept[0]))
    survivor_files.push_back(f.path().string());
  EXPECT_FALSE(survivor_files.empty()) << "the survivor's staging files were removed";
  // And the balancer sends work to it again once its /readyz passes.
  Generate(data_ + "/after", "--modality CT --instances 4 --rows 16 --cols 16 --seed 1599");
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(StoreScu(balancer.dicom_port, FilesIn(data_ + "/after")).stored.size(), 4u);
}

TEST_F(ScaleOutTest, SessionsAndClaimsMadeThroughOneProcessHoldOnTheOther) {
  // Three studies, in through the second process's DICOM door.
  Generate(data_ + "/in", "--studies 3 --instances 1 --rows 16 --cols 16 --seed 1601");
  ASSERT_EQ(StoreScu(second_->dicom_port, FilesIn(data_ + "/in")).stored.size(), 3u);
  ASSERT_EQ(WaitFor("SELECT count(*) FROM study WHERE status = 'ready'", "3"), "3");
  const std::string uid = db_.Scalar("SELECT study_uid FROM study ORDER BY id LIMIT 1");

  // A browser session (the cookie) signed in on the first process...
  HttpResponse login = Http("POST", first_->http_port, "/api/v1/auth/login",
                            R"({"username":"reader1","password":"telerad-demo","cookie":true})");
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string cookie = "Cookie: telerad_session=" + login.json["token"].get<std::string>();
  // ...is valid on the second, which claims with it.
  EXPECT_EQ(Http("GET", second_->http_port, "/api/v1/worklist", "", "", {cookie}).status, 200);
  HttpResponse claim = Http("POST", second_->http_port, "/api/v1/studies/" + uid + "/claim", "", "",
                            {cookie, "X-Requested-With: telerad"});
  ASSERT_EQ(claim.status, 200) << claim.body;

  // The first process sees the claim, and refuses it to another radiologist.
  HttpResponse seen = Http("GET", first_->http_port, "/api/v1/studies/" + uid, "", "", {cookie});
  EXPECT_EQ(seen.json["status"], "claimed") << seen.body;
  EXPECT_EQ(seen.json["claimed_by"], "reader1") << seen.body;
  const std::string reader2 = Login(first_->http_port, "reader2");
  HttpResponse refused =
      Http("POST", first_->http_port, "/api/v1/studies/" + uid + "/claim", "", reader2);
  EXPECT_EQ(refused.status, 409) << refused.body;

  // Signing out on the first process ends the session on the second too (the session
  // cache is off by default: every request asks PostgreSQL).
  EXPECT_EQ(Http("POST", first_->http_port, "/api/v1/auth/logout", "", "",
                 {cookie, "X-Requested-With: telerad"})
                .status,
            200);
  EXPECT_EQ(Http("GET", second_->http_port, "/api/v1/worklist", "", "", {cookie}).status, 401);

  if (!HaproxyInstalled()) GTEST_SKIP() << "haproxy is not installed (./scripts/test installs it)";
  // Through the balancer, whichever process answers: a token from one login works for
  // every request, alternating over both processes (round robin).
  LoadBalancer balancer(*first_, *second_);
  ASSERT_TRUE(balancer.WaitUntilServing()) << balancer.Log();
  const std::string token = Login(balancer.http_port, "reader2");
  for (int i = 0; i < 6; ++i) {
    HttpResponse r = Http("GET", balancer.http_port, "/api/v1/studies/" + uid, "", token);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json["claimed_by"], "reader1") << r.body;
  }
  const int first_requests = static_cast<int>(
      Scrape(first_->http_port)
          .Sum("telerad_http_requests_total", {{"route", "/api/v1/studies/:study_uid"}}));
  const int second_requests = static_cast<int>(
      Scrape(second_->http_port)
          .Sum("telerad_http_requests_total", {{"route", "/api/v1/studies/:study_uid"}}));
  EXPECT_GT(first_requests, 1) << "the balancer sent nothing to the first process";
  EXPECT_GT(second_requests, 0) << "the balancer sent nothing to the second process";
}

TEST_F(ScaleOutTest, BackgroundWorkIsDoneOnceWhateverTheNumberOfProcesses) {
  // The facility's PACS, which receives every signed report as an SR.
  const std::string received = MakeTempDir("facility-pacs");
  StoreScp pacs({"+B", "-od", received});
  db_.Scalar("UPDATE facility SET return_host = '127.0.0.1', return_port = " +
             std::to_string(pacs.port()) + ", return_ae_title = 'FACPACS' WHERE code = 'DEMO'");

  // Six studies, half through each process: both sweepers run on all six.
  constexpr int kStudies = 6;
  Generate(data_ + "/a", "--studies 3 --instances 1 --rows 16 --cols 16 --seed 1701");
  Generate(data_ + "/b", "--studies 3 --instances 1 --rows 16 --cols 16 --seed 1702");
  ASSERT_EQ(StoreScu(first_->dicom_port, FilesIn(data_ + "/a")).stored.size(), 3u);
  ASSERT_EQ(StoreScu(second_->dicom_port, FilesIn(data_ + "/b")).stored.size(), 3u);
  ASSERT_EQ(WaitFor("SELECT count(*) FROM study WHERE status = 'ready'", "6"), "6");

  // Stability: each study moved to `ready` by one sweep of one process.
  EXPECT_EQ(SumOfEvents(first_->Log(), "studies_ready", "count") +
                SumOfEvents(second_->Log(), "studies_ready", "count"),
            kStudies);

  // Report delivery: each report signed on alternate processes, then sent once.
  const std::string reader1 = Login(first_->http_port, "reader1");
  std::istringstream uids(db_.Scalar("SELECT string_agg(study_uid, ' ') FROM study"));
  int signed_reports = 0;
  for (std::string uid; uids >> uid; ++signed_reports) {
    const int port = (signed_reports % 2 == 0 ? first_ : second_)->http_port;
    const std::string base = "/api/v1/studies/" + uid;
    ASSERT_EQ(Http("POST", port, base + "/claim", "", reader1).status, 200);
    nlohmann::json draft = {{"findings", "No acute findings."}, {"impression", "Normal."}};
    ASSERT_EQ(Http("PUT", port, base + "/report", draft.dump(), reader1).status, 200);
    ASSERT_EQ(Http("POST", port, base + "/report/sign", "", reader1, {"If-Match: \"1\""}).status,
              200);
  }
  ASSERT_EQ(signed_reports, kStudies);
  ASSERT_EQ(WaitFor("SELECT count(*) FROM report WHERE delivery_state = 'delivered'", "6"), "6")
      << pacs.Log();
  // Both workers poll every 2 s; give a second delivery of any report the time to happen.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(FilesIn(received).size(), static_cast<size_t>(kStudies)) << pacs.Log();
  EXPECT_EQ(db_.Scalar("SELECT string_agg(DISTINCT delivery_attempts::text, ',') FROM report"),
            "1");
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM audit_event WHERE action = 'report.deliver'"),
            std::to_string(kStudies));
  const std::string logs = first_->Log() + second_->Log();
  std::set<std::string> delivered_ids;
  int delivered_lines = 0;
  const std::regex delivered("event=report_delivered report_id=([0-9]+)");
  for (std::sregex_iterator it(logs.begin(), logs.end(), delivered), end; it != end; ++it) {
    delivered_ids.insert((*it)[1]);
    ++delivered_lines;
  }
  EXPECT_EQ(delivered_lines, kStudies);
  EXPECT_EQ(delivered_ids.size(), static_cast<size_t>(kStudies));

  // KPI counters: kept by PostgreSQL, so both processes export the same totals, each
  // study and diagnosis counted once (not once per process).
  for (TeleradServer* server : {first_.get(), second_.get()}) {
    PromExposition e = Scrape(server->http_port);
    EXPECT_EQ(e.Sum("telerad_kpi_studies_received_total"), kStudies) << server->http_port;
    EXPECT_EQ(e.Sum("telerad_kpi_diagnoses_total"), kStudies) << server->http_port;
  }
  // The per-process DICOM counters add up to what was received: each instance was
  // counted by the process that stored it.
  EXPECT_EQ(Scrape(first_->http_port).Sum("telerad_dicom_instances_received_total") +
                Scrape(second_->http_port).Sum("telerad_dicom_instances_received_total"),
            kStudies);
  std::filesystem::remove_all(received);
}

}  // namespace
}  // namespace telerad::testing
