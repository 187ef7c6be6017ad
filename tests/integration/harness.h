// Test harness for integration tests: a fresh PostgreSQL database per test, the real
// telerad binary as a child process, and DCMTK's command-line tools as DICOM peers.
//
// Needs the environment scripts/test sets: TELERAD_TEST_PG (conninfo of the test
// cluster as its superuser, without dbname), TELERAD_TEST_PG_APP (the same as the
// application role; default: TELERAD_TEST_PG as role telerad_app), PGPASSFILE (their
// passwords), TELERAD_TEST_BIN_DIR (build folder), TELERAD_TEST_SCHEMA_DIR.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace telerad::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `command` with /bin/sh; never throws.
CommandResult RunCommand(const std::string& command);
std::string Quote(const std::string& text);
// libpq reads the roles' passwords from PGPASSFILE; an `env -i` child must be given it
// again: "PGPASSFILE='...' ", or "" when the tests run without one.
std::string PassFileAssignment();
std::string BinDir();
// The schema folder (TELERAD_TEST_SCHEMA_DIR); throws when it is not set.
std::string SchemaDir();
std::string MakeTempDir(const std::string& prefix);
int FreePort();

// A database of its own, created from scratch and dropped at the end of the test.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  // As the cluster's superuser, which owns the database and runs the migrations.
  const std::string& url() const { return url_; }
  // As the application role, which the server connects as (README, "Database roles").
  const std::string& app_url() const { return app_url_; }
  const std::string& name() const { return name_; }
  // First column of the first row of `sql` in this database, "" when no row.
  std::string Scalar(const std::string& sql) const;
  // Runs `sql` in the maintenance database (for ALTER DATABASE and the like).
  void Admin(const std::string& sql) const;

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
  std::string app_url_;
};

// Runs `BinDir()/<program> <args>` with only the database and schema of `db` (and PATH)
// in its environment: e.g. TeleradCommand(db, "telerad", "demo-data").
CommandResult TeleradCommand(const TestDatabase& db, const std::string& program,
                             const std::string& args);

// The real server binary, serving on free ports with its own storage folder, as the
// application role; before it starts, the database is migrated and seeded (demo facility
// DEMO_SCU) as the owner, or only migrated when `seed_demo` is false.
class TeleradServer {
 public:
  struct Options {
    int stable_after_s = 1;
    int dicom_workers = 16;
    int dicom_timeout_s = 30;
    std::map<std::string, std::string> env;  // extra TELERAD_* settings
    std::string storage;  // reuse this folder (kept afterwards); default: a fresh one
    bool seed_demo = true;
  };
  TeleradServer(const TestDatabase& db, Options options);
  ~TeleradServer();

  void Start();  // returns once /readyz answers 200; ADD_FAILURE and throws if not
  int Stop();    // SIGTERM, wait; the exit status (or -signal)
  void Kill();   // SIGKILL, wait
  pid_t pid() const { return pid_; }
  std::string Log() const;

  int dicom_port = 0;
  int http_port = 0;
  std::string storage;

 private:
  std::vector<std::string> Environment() const;
  const TestDatabase& db_;
  Options options_;
  std::string log_path_;
  pid_t pid_ = -1;
  int port_retries_ = 0;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  nlohmann::json json;  // discarded value when the body is not JSON
  std::string etag;     // the ETag header, "" when absent
};
HttpResponse Http(const std::string& method, int port, const std::string& path,
                  const std::string& body = "", const std::string& token = "",
                  const std::vector<std::string>& headers = {});
// Logs in and returns the token (fails the test if it cannot).
std::string Login(int port, const std::string& username,
                  const std::string& password = "telerad-demo");

// Runs the generator (tests/tools/gen_dicom.cpp) with `args`; returns the study UIDs.
std::vector<std::string> Generate(const std::string& out_dir, const std::string& args);
std::vector<std::string> FilesIn(const std::string& dir);
// Files the server stored under `storage`, staging excluded.
std::vector<std::string> StoredFiles(const std::string& storage);
// Staging files holding data: partly received instances (the server keeps empty ones
// ready ahead of need, those do not count).
std::vector<std::string> PartialStagingFiles(const std::string& storage);

struct StoreOutcome {
  std::vector<std::string> stored;  // files the server acknowledged with Success
  std::vector<std::string> failed;  // files answered with a failure status
  std::string output;
};
// storescu with -v, parsed: which files got "Received Store Response (Success)".
StoreOutcome StoreScu(int port, const std::vector<std::string>& paths,
                      const std::string& calling_ae = "DEMO_SCU", const std::string& extra = "");
bool EchoScu(int port, const std::string& calling_ae);
// A raw TCP connection to 127.0.0.1:`port` that sends nothing (a silent peer); the caller
// closes the descriptor.
int ConnectToLoopback(int port);

// The SOP Instance UID in a DICOM file (read with dcmdump).
std::string SopInstanceUidOf(const std::string& path);

// A test case with its own database, a started server and a scratch folder for data.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Sends `count` generated studies (one instance each unless `args` say otherwise) from
  // DEMO_SCU and waits until they are ready; their study UIDs.
  std::vector<std::string> ReadyStudies(
      int count, int seed, const std::string& args = "--instances 1 --rows 16 --cols 16");
  // An account with rad1's password (the demo password); `facility_code` for facility users.
  void AddUser(const std::string& username, const std::string& role,
               const std::string& facility_code = "");

  TestDatabase db_;
  TeleradServer::Options options_;  // change in the constructor, before SetUp
  std::unique_ptr<TeleradServer> server_;
  std::string data_;
};

// The parts of a multipart/related body: (part headers, part bytes); empty when it is
// not one.
std::vector<std::pair<std::string, std::string>> MultipartParts(const std::string& body);

// True when something accepts TCP connections on 127.0.0.1:`port`.
bool Listening(int port);

// DCMTK's storescp (AE title FACPACS) as a child process, standing in for a facility's
// PACS; stopped when the object goes away. `port` 0: a free one.
class StoreScp {
 public:
  explicit StoreScp(std::vector<std::string> options, int port = 0);
  ~StoreScp();
  StoreScp(const StoreScp&) = delete;
  StoreScp& operator=(const StoreScp&) = delete;
  int port() const { return port_; }
  std::string Log() const;

 private:
  int port_;
  pid_t pid_ = -1;
  std::string log_;
};

// A DICOM file's data set bytes (everything after the File Meta Information).
std::string DataSetBytes(const std::string& path);
std::string ReadFile(const std::string& path);

}  // namespace telerad::testing
