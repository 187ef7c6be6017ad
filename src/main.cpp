// telerad: the server binary. Wires the services to the two doors and runs them;
// also the admin commands `migrate`, `seed-demo`, `demo-data` and `user add`. Shaped like DCMTK's
// dcmrecv.cc: parse, configure, run, return a named exit code.
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "api/http_server.h"
#include "dicom/dicom_report_sender.h"
#include "dicom/dicom_server.h"
#include "dicom/toolkit_setup.h"
#include "src/admin_service.h"
#include "src/audit_service.h"
#include "src/auth_service.h"
#include "src/config.h"
#include "src/consultation_service.h"
#include "src/demo_data.h"
#include "src/demo_seeder.h"
#include "src/disk_file_store.h"
#include "src/health_service.h"
#include "src/ingest_service.h"
#include "src/kpi_metrics.h"
#include "src/kpi_service.h"
#include "src/logging.h"
#include "src/pg_audit_repository.h"
#include "src/pg_consultation_repository.h"
#include "src/pg_demo_loader.h"
#include "src/pg_facility_repository.h"
#include "src/pg_kpi_repository.h"
#include "src/pg_migrator.h"
#include "src/pg_pool.h"
#include "src/pg_report_repository.h"
#include "src/pg_study_repository.h"
#include "src/pg_user_repository.h"
#include "src/report_delivery_worker.h"
#include "src/report_service.h"
#include "src/scrape_token.h"
#include "src/server_metrics.h"
#include "src/sodium_password_hasher.h"
#include "src/stability_sweeper.h"
#include "src/study_service.h"

#ifndef TELERAD_VERSION
#define TELERAD_VERSION "unknown"
#endif

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
  kExitRefused = 8,  // demo-data on a database that is not new, or not seeded
};

constexpr const char* kUsage =
    "usage: telerad <command> [--config FILE]\n"
    "commands:\n"
    "  serve       run the DICOM and HTTP servers until SIGINT/SIGTERM\n"
    "  migrate     apply the schema migrations and exit\n"
    "  seed-demo   create the demo facility and accounts (password: $TELERAD_DEMO_PASSWORD,\n"
    "              default telerad-demo) if absent, and exit\n"
    "  demo-data   load the demo half-year (2025-01..06: facilities, signed CT and X-ray\n"
    "              studies, e-examinations, KPI targets) into a new, seeded database, and\n"
    "              exit; refuses a database that already holds studies or demo data\n"
    "  routes      print every HTTP route with the roles allowed to call it, and exit\n"
    "  user add --username NAME --role admin|radiologist|facility|ministry [--facility CODE]\n"
    "              create an account (e.g. the first admin of a new install); the password\n"
    "              is read from the first line of standard input, never from the command line\n"
    "Settings come from the config file, then TELERAD_* environment variables (README).\n";

// Everything a command needs from the database, built once.
struct Database {
  explicit Database(const Config& c)
      : pool(c.db_url, c.EffectiveDbPoolSize(), c.db_statement_timeout_ms),
        studies(pool),
        facilities(pool),
        users(pool),
        reports(pool),
        audit(pool),
        kpi(pool),
        consultations(pool) {}
  PgPool pool;
  PgStudyRepository studies;
  PgFacilityRepository facilities;
  PgUserRepository users;
  PgReportRepository reports;
  PgAuditRepository audit;
  PgKpiRepository kpi;
  PgConsultationRepository consultations;
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

std::string DemoPassword() {
  const char* env = std::getenv("TELERAD_DEMO_PASSWORD");
  return env && *env ? env : "telerad-demo";
}

int SeedDemoCommand(Database& db) {
  SodiumPasswordHasher hasher;
  Status s = SeedDemo(db.facilities, db.users, hasher, DemoPassword());
  if (!s.ok()) {
    CoreLog().error("event=seed_failed reason=\"{}\"", s.ToString());
    return kExitDatabase;
  }
  CoreLog().info("event=demo_seeded facility_ae=DEMO_SCU accounts=admin,rad1,fac1,ministry1,spec1");
  return kExitOk;
}

// `telerad demo-data`: the demo half-year, in one transaction (nothing is written when
// it refuses or fails). Does not migrate or seed: on a database that is not new it must
// not write anything at all.
int DemoDataCommand(Database& db) {
  const auto start = std::chrono::steady_clock::now();
  PgDemoLoader loader(db.pool);
  const DemoData data = GenerateDemoData();
  SodiumPasswordHasher hasher;
  auto hash = hasher.Hash(DemoPassword());
  if (!hash.ok()) {
    CoreLog().error("event=demo_data_failed reason=\"{}\"", hash.status().ToString());
    return kExitInternal;
  }
  auto loaded = loader.Load(data, *hash);
  if (!loaded.ok()) {
    const StatusCode code = loaded.status().code();
    const bool refused = code == StatusCode::kConflict || code == StatusCode::kFailedPrecondition;
    if (refused)
      CoreLog().warn("event=demo_data_refused reason=\"{}\"", loaded.status().ToString());
    else
      CoreLog().error("event=demo_data_failed reason=\"{}\"", loaded.status().ToString());
    std::cerr << "telerad: demo-data: " << loaded.status().message() << "\n";
    if (refused) return kExitRefused;
    return code == StatusCode::kUnavailable ? kExitDatabase : kExitInternal;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  CoreLog().info(
      "event=demo_data_loaded facilities_created={} accounts_created={} studies={} "
      "signed_reports={} e_examinations={} targets={} ms={}",
      loaded->facilities_created, loaded->accounts_created, loaded->studies, loaded->reports,
      loaded->consultations, loaded->targets, ms);
  return kExitOk;
}

// `telerad user add`: the way to create the first admin of a production install, where
// no demo accounts exist. Recorded in the audit trail as done by "cli".
int UserAddCommand(Database& db, const std::map<std::string, std::string>& options) {
  auto option = [&](const char* name) {
    auto it = options.find(name);
    return it == options.end() ? std::string() : it->second;
  };
  NewUser user;
  user.username = option("--username");
  user.facility_code = option("--facility");
  auto role = ParseRole(option("--role"));
  if (user.username.empty() || !role) {
    std::cerr << "telerad: user add needs --username and --role\n" << kUsage;
    return kExitUsage;
  }
  user.role = *role;
  // Typed at a terminal, the password is not echoed.
  termios saved{};
  const bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::cerr << "password for " << user.username << ": ";
  }
  std::getline(std::cin, user.password);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  SodiumPasswordHasher hasher;
  AdminService admin(db.facilities, db.users, hasher);
  Principal cli;
  cli.username = "cli";
  cli.role = Role::kAdmin;
  auto created = admin.CreateUser(cli, user);
  AuditEntry entry;
  entry.username = "cli";
  entry.role = "admin";
  entry.action = "user.create";
  entry.object_type = "user";
  entry.object_id = user.username.substr(0, 64);
  entry.remote_addr = "local";
  entry.outcome = created.ok() ? "success" : StatusCodeName(created.status().code());
  AuditService(db.audit).Record(entry, true);
  if (!created.ok()) {
    std::cerr << "telerad: " << created.status().message() << "\n";
    return created.status().code() == StatusCode::kUnavailable ? kExitDatabase : kExitUsage;
  }
  std::cout << "created " << ToString(created->role) << " " << created->username << "\n";
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
  KpiService kpi(db.kpi, config.time_zone);
  // Every server counts the KPI days in the configured zone; the first one started with a
  // new zone recounts the aggregates.
  if (auto changed = kpi.ApplyTimeZone(); !changed.ok()) {
    CoreLog().critical("event=kpi_time_zone_failed zone={} reason=\"{}\"", config.time_zone,
                       changed.status().ToString());
    return kExitDatabase;
  } else if (*changed) {
    CoreLog().warn("event=kpi_recounted time_zone={}", config.time_zone);
  }
  if (auto demo = db.users.CountDemoUsers(); demo.ok() && *demo > 0)
    CoreLog().warn("event=demo_accounts_active count={} hint=\"disable them on a real install\"",
                   *demo);

  SodiumPasswordHasher hasher;
  auto auth = AuthService::Create(db.users, hasher, config.token_ttl,
                                  {config.login_max_failures, config.login_lockout_max},
                                  config.session_cache);
  if (!auth.ok()) {
    CoreLog().critical("event=auth_unusable reason=\"{}\"", auth.status().ToString());
    return kExitInternal;
  }
  const SlaTargets sla{config.sla_stat, config.sla_urgent, config.sla_routine};
  StudyService studies(db.studies, config.claim_lease, sla);
  ReportService reports(db.studies, db.reports, config.claim_lease);
  ConsultationService consultations(db.consultations);
  AuditService audit(db.audit);
  HealthService health(db.studies, **files);
  IngestService ingest(db.studies, db.facilities, **files);
  StabilitySweeper sweeper(db.studies, config.stable_after, sla);
  dicom::DicomReportSender report_sender(config.dicom_ae_title, config.dicom_timeout_s);
  DeliveryPolicy delivery_policy;
  delivery_policy.retry_base = config.delivery_retry_base;
  delivery_policy.retry_max = config.delivery_retry_max;
  // An attempt takes at most about three timeouts (connect, association, response, and
  // DCMTK's wait after an abort); hold the job a little longer than that.
  delivery_policy.hold = std::chrono::seconds(3 * config.dicom_timeout_s + 30);
  ReportDeliveryWorker delivery(db.reports, db.studies, report_sender, audit, delivery_policy);

  ServerMetrics metrics(TELERAD_VERSION);
  metrics.WatchPool([&db] {
    return PoolUsage{db.pool.InUse(), db.pool.OpenConnections(), db.pool.size()};
  });
  // The KPI families are read from PostgreSQL at each scrape: one set of figures
  // whichever server is scraped.
  metrics.AddCollectable(std::make_shared<KpiMetrics>(db.kpi, config.time_zone));
  const ScrapeToken scrape_token(config.metrics_token);

  audit.Start();
  dicom::DicomServer dicom_server(ingest, config, metrics);
  if (Status s = dicom_server.Start(); !s.ok()) {
    CoreLog().critical("event=dicom_listen_failed reason=\"{}\"", s.ToString());
    return kExitCannotListen;
  }
  AdminService admin(db.facilities, db.users, hasher);
  api::ApiServices services;
  services.auth = auth->get();
  services.studies = &studies;
  services.reports = &reports;
  services.audit = &audit;
  services.admin = &admin;
  services.health = &health;
  services.kpi = &kpi;
  services.consultations = &consultations;
  services.metrics = &metrics;
  services.scrape_token = &scrape_token;
  api::HttpServer http_server(services, config);
  if (Status s = http_server.Start(); !s.ok()) {
    CoreLog().critical("event=http_listen_failed reason=\"{}\"", s.ToString());
    dicom_server.Stop(std::chrono::seconds(0));
    return kExitCannotListen;
  }
  sweeper.Start();
  delivery.Start();
  CoreLog().info("event=metrics_ready route=/metrics scrape_token={}",
                 scrape_token.enabled() ? "configured" : "none");
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
  delivery.Stop();
  audit.Stop();  // after the doors: the last requests' read records are written
  CoreLog().info("event=stopped");
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread exists: DCMTK reads TCP_NODELAY from the environment for every
  // connection, and Debian's build leaves Nagle's algorithm on otherwise (STACK.md).
  setenv("TCP_NODELAY", "1", 1);

  std::string command, config_path;
  std::vector<std::string> words;              // command and subcommand
  std::map<std::string, std::string> options;  // --name value
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return kExitOk;
    } else if (arg == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else if (arg.rfind("--", 0) == 0 && i + 1 < argc) {
      options[arg] = argv[++i];
    } else if (!arg.empty() && arg[0] != '-' && words.size() < 2) {
      words.push_back(arg);
    } else {
      std::cerr << "telerad: unexpected argument '" << arg << "'\n" << kUsage;
      return kExitUsage;
    }
  }
  command = words.empty() ? "serve" : words[0];
  if (words.size() == 2) command += " " + words[1];
  const bool known = command == "serve" || command == "migrate" || command == "seed-demo" ||
                     command == "demo-data" || command == "user add" || command == "routes";
  if (!known || (!options.empty() && command != "user add")) {
    std::cerr << "telerad: unknown command or option '" << command << "'\n" << kUsage;
    return kExitUsage;
  }

  if (command == "routes") {
    std::cout << api::DescribeRoutes();
    return kExitOk;
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
  if (command == "demo-data") return DemoDataCommand(db);
  if (command == "seed-demo" || command == "user add") {
    if (int rc = Migrate(db, *config); rc != kExitOk) return rc;
    return command == "seed-demo" ? SeedDemoCommand(db) : UserAddCommand(db, options);
  }
  return Serve(db, *config);
}
