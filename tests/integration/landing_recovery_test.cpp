// One device flush per instance (issue 15): the file lands durably before Success and its
// index row commits without waiting for the WAL flush. These tests kill the server and
// crash PostgreSQL in the windows this opens (between Success and the row's flush,
// between the commit and the settling) and check what recovery promises (README,
// "Durability"): every acknowledged instance indexed exactly once, counters and KPI
// figures equal to a recount, no file left in landing, unindexable files set aside.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "tests/integration/harness.h"
#include "tests/prometheus_text.h"

namespace telerad::testing {
namespace {

constexpr const char* kScrapeToken = "landing-test-scrape-token";

std::vector<std::string> Landed(const std::string& storage) {
  if (!std::filesystem::exists(storage + "/landing")) return {};
  return FilesIn(storage + "/landing");
}

int Count(const TestDatabase& db, const std::string& sql) {
  return std::stoi("0" + db.Scalar(sql));
}

// The KPI rows the schema's triggers keep, as one string.
std::string KpiFigures(const TestDatabase& db) {
  return db.Scalar(
      "SELECT concat_ws('|', (SELECT string_agg(day || ':' || facility_id || ':' ||"
      " modality_class || ':' || received || ':' || diagnosed, ',' ORDER BY day, facility_id,"
      " modality_class) FROM kpi_study_daily), (SELECT count(*) FROM kpi_facility_activity))");
}

// What recovery promises, checked from the database and the disk.
void ExpectRecovered(const TestDatabase& db, const std::string& storage,
                     const std::set<std::string>& acknowledged) {
  for (const auto& sop : acknowledged) {
    ASSERT_EQ(Count(db, "SELECT count(*) FROM instance WHERE sop_instance_uid = '" + sop + "'"), 1)
        << "acknowledged but not indexed: " << sop;
  }
  // Every row's file is in its final place, and nothing waits in landing.
  pqxx::connection conn(db.url());
  pqxx::nontransaction txn(conn);
  for (const auto& row : txn.exec("SELECT storage_key FROM instance"))
    EXPECT_TRUE(std::filesystem::exists(storage + "/" + row[0].as<std::string>()))
        << row[0].as<std::string>();
  auto landed = Landed(storage);
  EXPECT_TRUE(landed.empty()) << landed.size() << " files left in landing, e.g. " << landed[0];
  // The counters the index keeps equal a recount of the rows.
  EXPECT_EQ(Count(db,
                  "SELECT count(*) FROM study s WHERE num_instances <> (SELECT count(*) FROM"
                  " instance i JOIN series se ON se.id = i.series_id WHERE se.study_id = s.id)"
                  " OR num_series <> (SELECT count(*) FROM series se WHERE se.study_id = s.id)"
                  " OR size_bytes <> (SELECT coalesce(sum(i.size_bytes), 0) FROM instance i"
                  " JOIN series se ON se.id = i.series_id WHERE se.study_id = s.id)"),
            0);
  EXPECT_EQ(Count(db,
                  "SELECT count(*) FROM series se WHERE num_instances <> (SELECT count(*)"
                  " FROM instance i WHERE i.series_id = se.id)"),
            0);
  // And the KPI figures the triggers counted equal the schema's own recount.
  const std::string counted = KpiFigures(db);
  db.Scalar("SELECT kpi_recount()");
  EXPECT_EQ(KpiFigures(db), counted);
  EXPECT_EQ(db.Scalar("SELECT coalesce(sum(received), 0) FROM kpi_study_daily"),
            db.Scalar("SELECT count(*) FROM study"));
}

class LandingRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override { data_ = MakeTempDir("telerad-data"); }
  void TearDown() override { std::filesystem::remove_all(data_); }
  TestDatabase db_;
  std::string data_;
};

TEST_F(LandingRecoveryTest, KillsAtAnyMomentLoseNoAcknowledgedInstance) {
  const std::string storage = MakeTempDir("telerad-storage");
  TeleradServer::Options killed;
  killed.storage = storage;
  // No periodic settling: every instance acknowledged before a kill is still landed
  // (committed, not settled) when it comes, and each restart's recovery settles it.
  killed.env["TELERAD_LANDING_SETTLE_INTERVAL_MS"] = "3600000";
  constexpr int kRounds = 8;
  constexpr int kInstances = 40;
  std::set<std::string> acknowledged;
  size_t landed_at_kills = 0;
  int cut_short = 0;
  for (int round = 0; round < kRounds; ++round) {
    const std::string dir = data_ + "/" + std::to_string(round);
    Generate(dir, "--modality " + std::string(round % 2 ? "CR" : "CT") + " --instances " +
                      std::to_string(kInstances) + " --rows 64 --cols 64 --seed " +
                      std::to_string(400 + round));
    auto files = FilesIn(dir);
    const size_t half = files.size() / 2;
    std::vector<std::string> a(files.begin(), files.begin() + half),
        b(files.begin() + half, files.end());
    TeleradServer server(db_, killed);
    server.Start();
    const int before = Count(db_, "SELECT count(*) FROM instance");
    auto first = std::async(std::launch::async, [&] { return StoreScu(server.dicom_port, a); });
    auto second = std::async(std::launch::async, [&] { return StoreScu(server.dicom_port, b); });
    // Kill at a different moment each round: after 1 to 36 new rows, then 0-21 ms more.
    const int target = before + 1 + (round * 5) % 36;
    for (int i = 0; i < 500 && Count(db_, "SELECT count(*) FROM instance") < target; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::this_thread::sleep_for(std::chrono::milliseconds((round * 7) % 22));
    server.Kill();
    size_t acked = 0;
    for (auto* sender : {&first, &second})
      for (const auto& f : sender->get().stored) {
        acknowledged.insert(SopInstanceUidOf(f));
        ++acked;
      }
    if (acked < files.size()) ++cut_short;
    landed_at_kills += Landed(storage).size();
  }
  ASSERT_GT(cut_short, 0) << "every kill came after the sends: nothing was cut";
  ASSERT_GT(landed_at_kills, 0u) << "no kill found a landed file: the window was missed";

  TeleradServer::Options normal;  // settling every second again
  normal.storage = storage;
  TeleradServer server(db_, normal);
  server.Start();  // its recovery pass runs before the doors open
  EXPECT_TRUE(PartialStagingFiles(storage).empty());
  ExpectRecovered(db_, storage, acknowledged);
  EXPECT_NE(server.Log().find("event=landing_recovered"), std::string::npos) << server.Log();
  server.Stop();
  std::filesystem::remove_all(storage);
}

// A PostgreSQL cluster of this test's own (scripts/lib/common.sh's pg_start), which it may
// crash without disturbing the tests running beside it on the shared one. The harness's
// TestDatabase and server use it through the environment while this object lives.
class PrivateCluster {
 public:
  PrivateCluster() : dir_(MakeTempDir("telerad-pg")), port_(FreePort()) {
    for (const char* name : {"TELERAD_TEST_PG", "TELERAD_TEST_PG_APP", "PGPASSFILE"}) {
      const char* v = std::getenv(name);
      saved_[name] = v ? std::optional<std::string>(v) : std::nullopt;
    }
    Start();
    const std::string where = "host=" + dir_ + "/sock port=" + std::to_string(port_);
    ::setenv("TELERAD_TEST_PG", (where + " user=telerad").c_str(), 1);
    ::setenv("TELERAD_TEST_PG_APP", (where + " user=telerad_app").c_str(), 1);
    ::setenv("PGPASSFILE", (dir_ + "/pgpass").c_str(), 1);
  }
  ~PrivateCluster() {
    Shell("pg_stop " + Quote(dir_));
    for (const auto& [name, value] : saved_) {
      if (value)
        ::setenv(name.c_str(), value->c_str(), 1);
      else
        ::unsetenv(name.c_str());
    }
    std::filesystem::remove_all(dir_);
  }
  void Start() {
    CommandResult r = Shell("pg_start " + Quote(dir_) + " " + std::to_string(port_));
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  // Sends `signal` (STOP, KILL) to one of the cluster's processes, as its owner.
  void Signal(const std::string& pid, const char* signal) {
    ASSERT_FALSE(pid.empty());
    CommandResult r = Shell("pg_as_owner kill -" + std::string(signal) + " " + pid);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  // After a crash restart of the postmaster: waits until it accepts connections again.
  void WaitAcceptingConnections() {
    CommandResult r =
        Shell("for i in $(seq 300); do \"$PG_BIN/pg_isready\" -q -h " + Quote(dir_ + "/sock") +
              " -p " + std::to_string(port_) + " && exit 0; sleep 0.1; done; exit 1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }

 private:
  static CommandResult Shell(const std::string& script) {
    const std::string common =
        std::filesystem::path(SchemaDir()).parent_path().string() + "/scripts/lib/common.sh";
    return RunCommand("bash -c " + Quote("source " + Quote(common) + " && " + script) + " 2>&1");
  }
  const std::string dir_;
  const int port_;
  std::map<std::string, std::optional<std::string>> saved_;
};

class PostgresCrashTest : public ::testing::Test {
 protected:
  PrivateCluster cluster_;  // first: TestDatabase connects to it
  TestDatabase db_;
};

TEST_F(PostgresCrashTest, AcknowledgedInstancesWhoseRowsTheCrashLostAreIndexedAgain) {
  const std::string data = MakeTempDir("telerad-data");
  const std::string storage = MakeTempDir("telerad-storage");
  TeleradServer::Options options;
  options.storage = storage;
  options.env["TELERAD_LANDING_SETTLE_INTERVAL_MS"] = "3600000";  // no flush by the settler
  auto server = std::make_unique<TeleradServer>(db_, options);
  server->Start();  // migrated and seeded with the cluster's defaults: all of it flushed
  // From now on no commit waits for its flush (the association's audit row included),
  // and nothing else may write the WAL out: writing a dirty page or autovacuum would.
  db_.Admin("ALTER SYSTEM SET synchronous_commit = off");
  db_.Admin("ALTER SYSTEM SET bgwriter_lru_maxpages = 0");
  db_.Admin("ALTER SYSTEM SET autovacuum = off");
  db_.Admin("SELECT pg_reload_conf()");
  db_.Admin("CHECKPOINT");
  // The WAL writer is what writes asynchronous commits out, within wal_writer_delay or
  // as soon as a WAL page is full; held still, it leaves the next commits in
  // PostgreSQL's shared memory only, which a crash of the server loses. Killing it is
  // such a crash: the postmaster ends every backend and recovers from the WAL on disk.
  const std::string wal_writer =
      db_.Scalar("SELECT pid FROM pg_stat_activity WHERE backend_type = 'walwriter'");
  cluster_.Signal(wal_writer, "STOP");
  Generate(data, "--modality CT --instances 30 --rows 64 --cols 64 --seed 501");
  auto sent = StoreScu(server->dicom_port, FilesIn(data));
  ASSERT_EQ(sent.stored.size(), 30u) << sent.output;
  std::set<std::string> acknowledged;
  for (const auto& f : sent.stored) acknowledged.insert(SopInstanceUidOf(f));

  server->Kill();
  cluster_.Signal(wal_writer, "KILL");
  cluster_.WaitAcceptingConnections();
  db_.Admin("ALTER SYSTEM RESET ALL");
  db_.Admin("SELECT pg_reload_conf()");
  // A backend writes WAL pages out itself only when the WAL buffers (4 MB here) are full,
  // which 30 small instances do not fill: the crash lost every row acknowledged.
  const int survived = Count(db_, "SELECT count(*) FROM instance");
  std::printf("[ figures  ] rows that survived the PostgreSQL crash: %d of 30\n", survived);
  EXPECT_LT(survived, 30);

  server = std::make_unique<TeleradServer>(db_, options);
  server->Start();
  ExpectRecovered(db_, storage, acknowledged);
  EXPECT_EQ(Count(db_, "SELECT count(*) FROM instance"), 30);
  EXPECT_NE(
      server->Log().find("event=landed_files_reindexed count=" + std::to_string(30 - survived)),
      std::string::npos)
      << server->Log();
  server->Stop();
  std::filesystem::remove_all(storage);
  std::filesystem::remove_all(data);
}

class LandingOrphanTest : public ServerTest {
 protected:
  LandingOrphanTest() {
    options_.env["TELERAD_LANDING_GRACE"] = "1";
    options_.env["TELERAD_METRICS_TOKEN"] = kScrapeToken;
  }
};

TEST_F(LandingOrphanTest, UnindexableLandedFilesAreSetAsideCountedAndReported) {
  const std::string facility = db_.Scalar("SELECT id FROM facility WHERE ae_title = 'DEMO_SCU'");
  const std::string landing = server_->storage + "/landing/";
  // A landing name whose bytes are not DICOM, one naming no facility, and a stray file.
  std::ofstream(landing + facility + "_1.2.3_1.2.3.4_1.2.3.4.5.dcm") << "not a DICOM file";
  Generate(data_, "--modality CT --instances 1 --rows 16 --cols 16 --seed 601");
  std::filesystem::copy_file(FilesIn(data_)[0], landing + "999999_1.2.3_1.2.3.4_1.2.3.4.6.dcm");
  std::ofstream(landing + "notes.txt") << "left by hand";
  for (int i = 0; i < 100 && !Landed(server_->storage).empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(Landed(server_->storage).empty());
  EXPECT_EQ(FilesIn(server_->storage + "/orphans").size(), 3u);
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance"), "0");
  HttpResponse metrics = Http("GET", server_->http_port, "/metrics", "", kScrapeToken);
  EXPECT_EQ(ParsePrometheusText(metrics.body)
                .Sum("telerad_landing_files_total", {{"outcome", "orphaned"}}),
            3)
      << metrics.body;
  const std::string log = server_->Log();
  EXPECT_NE(log.find("event=landed_file_set_aside folder=orphans facility_id=" + facility),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find("1.2.3.4.5"), std::string::npos) << "a UID was logged";
}

class LandedReadTest : public ServerTest {
 protected:
  LandedReadTest() { options_.env["TELERAD_LANDING_SETTLE_INTERVAL_MS"] = "3600000"; }
};

TEST_F(LandedReadTest, LandedInstanceIsServedBeforeItIsSettled) {
  auto uids = Generate(data_, "--modality CT --instances 1 --rows 16 --cols 16 --seed 602");
  ASSERT_EQ(StoreScu(server_->dicom_port, FilesIn(data_)).stored.size(), 1u);
  ASSERT_EQ(Landed(server_->storage).size(), 1u);
  const std::string series = db_.Scalar("SELECT series_uid FROM series");
  const std::string sop = db_.Scalar("SELECT sop_instance_uid FROM instance");
  const std::string token = Login(server_->http_port, "rad1");
  HttpResponse r = Http("GET", server_->http_port,
                        "/dicomweb/studies/" + uids[0] + "/series/" + series + "/instances/" + sop,
                        "", token, {"Accept: multipart/related; type=\"application/dicom\""});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("DICM"), std::string::npos);  // the Part 10 file itself
  // A clean stop settles what is landed.
  EXPECT_EQ(server_->Stop(), 0);
  EXPECT_TRUE(Landed(server_->storage).empty());
  EXPECT_TRUE(std::filesystem::exists(server_->storage + "/" +
                                      db_.Scalar("SELECT storage_key FROM instance")));
}

}  // namespace
}  // namespace telerad::testing
