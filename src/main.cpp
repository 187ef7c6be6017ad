// telerad: the server binary. Wires the services to the two doors and runs them;
// also the admin commands `migrate` and `seed-demo`. Shaped like DCMTK's dcmrecv.cc:
// parse, configure, run, return a named exit code.
#include <signal.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "api/http_server.h"
#include "dicom/dicom_server.h"
#include "dicom/toolkit_setup.h"
#include "src/auth_service.h"
#include "src/config.h"
#include "src/demo_seeder.h"
#include "src/disk_file_store.h"
#include "src/health_service.h"
#include "src/ingest_service.h"
#include "src/logging.h"
#include "src/pg_facility_repository.h"
#include "src/pg_migrator.h"
#include "src/pg_pool.h"
#include "src/pg_study_repository.h"
#include "src/pg_user_repository.h"
#include "src/sodium_password_hasher.h"
#include "src/stability_sweeper.h"
#include "src/study_service.h"

namespace {

using namespace telerad;

enum ExitCode {
  kExitOk = 0,
  kExitUsage = 2,
  kExitBadConfig = 3,
  kExitDatabase = 4,
  kExitStorage = 5,
  kExitCannotListen = 6,
  kExitInternal = 7,
};

constexpr const char* kUsage =
    "usage: telerad <command> [--config FILE]\n"
    "commands:\n"
    "  serve       run the DICOM and HTTP servers until SIGINT/SIGTERM\n"
    "  migrate     apply the schema migrations and exit\n"
    "  seed-demo   create the demo facility and accounts (password: $TELERAD_DEMO_PASSWORD,\n"
    "              default telerad-demo) if absent, and exit\n"
    "Settings come from the config file, then TELERAD_* environment variables (README).\n";

// Everything a command needs from the database, built once.
struct Database {
  explicit Database(const Config& c)
      : pool(c.db_url, c.EffectiveDbPoolSize(), c.db_statement_timeout_ms),
        studies(pool),
        facilities(pool),
        users(pool) {}
  PgPool pool;
  PgStudyRepository studies;
  PgFacilityRepository facilities;
  PgUserRepository users;
};

int Migrate(Database& db, const Config& config) {
  auto applied = PgMigrator(db.pool, config.schema_dir).Apply();
  if (!applied.ok()) {
    CoreLog().error("event=migrate_failed reason=\"{}\"", applied.status().ToString());
    return kExitDatabase;
  }
  CoreLog().info("event=schema_ready applied={}", *applied);
  return kExitOk;
}

int SeedDemoCommand(Database& db) {
  const char* env = std::getenv("TELERAD_DEMO_PASSWORD");
  const std::string password = env && *env ? env : "telerad-demo";
  SodiumPasswordHasher hasher;
  Status s = SeedDemo(db.facilities, db.users, hasher, password);
  if (!s.ok()) {
    CoreLog().error("event=seed_failed reason=\"{}\"", s.ToString());
    return kExitDatabase;
  }
  CoreLog().info("event=demo_seeded facility_ae=DEMO_SCU accounts=admin,rad1,fac1,ministry1");
  return kExitOk;
}

int Serve(Database& db, const Config& config) {
  // Block the stop signals in every thread; the main thread takes them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto files = DiskFileStore::Open(config.storage);
  if (!files.ok()) {
    CoreLog().critical("event=storage_unusable root={} reason=\"{}\"", config.storage,
                       files.status().ToString());
    return kExitStorage;
  }
  int leftovers = (*files)->CleanStaging();
  if (leftovers > 0) CoreLog().info("event=staging_cleaned files={}", leftovers);

  if (int rc = Migrate(db, config); rc != kExitOk) return rc;
  if (config.EffectiveDbPoolSize() < config.dicom_workers + config.http_threads)
    CoreLog().warn(
        "event=db_pool_small pool={} dicom_workers={} http_threads={} "
        "hint=\"requests will wait for a connection; leave db_pool_size at 0\"",
        config.EffectiveDbPoolSize(), config.dicom_workers, config.http_threads);
  if (auto demo = db.users.CountDemoUsers(); demo.ok() && *demo > 0)
    CoreLog().warn("event=demo_accounts_active count={} hint=\"disable them on a real install\"",
                   *demo);

  SodiumPasswordHasher hasher;
  auto auth = AuthService::Create(db.users, hasher, config.token_ttl, config.session_cache);
  if (!auth.ok()) {
    CoreLog().critical("event=auth_unusable reason=\"{}\"", auth.status().ToString());
    return kExitInternal;
  }
  StudyService studies(db.studies, config.claim_lease);
  HealthService health(db.studies, **files);
  IngestService ingest(db.studies, db.facilities, **files);
  StabilitySweeper sweeper(db.studies, config.stable_after, SlaTargets{});

  dicom::DicomServer dicom_server(ingest, config);
  if (Status s = dicom_server.Start(); !s.ok()) {
    CoreLog().critical("event=dicom_listen_failed reason=\"{}\"", s.ToString());
    return kExitCannotListen;
  }
  api::ApiServices services{**auth, studies, health};
  api::HttpServer http_server(services, config);
  if (Status s = http_server.Start(); !s.ok()) {
    CoreLog().critical("event=http_listen_failed reason=\"{}\"", s.ToString());
    dicom_server.Stop(std::chrono::seconds(0));
    return kExitCannotListen;
  }
  sweeper.Start();
  CoreLog().info("event=ready dicom=\"{}@*:{}\" http=\"http://{}:{}/\" storage={} stable_after={}s",
                 config.dicom_ae_title, config.dicom_port, config.http_bind, config.http_port,
                 config.storage, config.stable_after.count());

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  CoreLog().info("event=stopping signal={}", strsignal(signal_number));
  // New associations are refused at once; instances in flight finish and are answered.
  dicom_server.Stop(std::chrono::seconds(config.dicom_timeout_s));
  http_server.Stop();
  sweeper.Stop();
  CoreLog().info("event=stopped");
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread exists: DCMTK reads TCP_NODELAY from the environment for every
  // connection, and Debian's build leaves Nagle's algorithm on otherwise (STACK.md).
  setenv("TCP_NODELAY", "1", 1);

  std::string command, config_path;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return kExitOk;
    } else if (arg == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else if (command.empty() && arg[0] != '-') {
      command = arg;
    } else {
      std::cerr << "telerad: unexpected argument '" << arg << "'\n" << kUsage;
      return kExitUsage;
    }
  }
  if (command.empty()) command = "serve";
  if (command != "serve" && command != "migrate" && command != "seed-demo") {
    std::cerr << "telerad: unknown command '" << command << "'\n" << kUsage;
    return kExitUsage;
  }

  auto config = Config::Load(config_path);
  if (!config.ok()) {
    std::cerr << "telerad: " << config.status().message() << "\n";
    return kExitBadConfig;
  }
  SetUpLogging(config->log_level);
  if (Status dcmtk = dicom::SetUpDcmtk(config->log_level); !dcmtk.ok()) {
    CoreLog().critical("event=dcmtk_unusable reason=\"{}\"", dcmtk.ToString());
    return kExitInternal;
  }
  if (!InitSodium()) {
    CoreLog().critical("event=libsodium_init_failed");
    return kExitInternal;
  }

  Database db(*config);
  if (command == "migrate") return Migrate(db, *config);
  if (command == "seed-demo") {
    if (int rc = Migrate(db, *config); rc != kExitOk) return rc;
    return SeedDemoCommand(db);
  }
  return Serve(db, *config);
}
