// The one-shot commands: migrate, seed-demo, demo-data and user add.
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "src/accounts/admin_service.h"
#include "src/accounts/sodium_password_hasher.h"
#include "src/app/commands.h"
#include "src/app/exit_codes.h"
#include "src/audit/audit_outcome.h"
#include "src/audit/audit_service.h"
#include "src/base/clock.h"
#include "src/base/logging.h"
#include "src/demo/demo_data.h"
#include "src/demo/demo_seeder.h"
#include "src/pg/demo/pg_demo_loader.h"
#include "src/pg/pg_database.h"

namespace telerad {
namespace {

std::string DemoPassword() {
  const char* env = std::getenv("TELERAD_DEMO_PASSWORD");
  return env && *env ? env : "telerad-demo";
}

// Reads one line from standard input; typed at a terminal, it is not echoed.
std::string ReadPassword(const std::string& username) {
  termios saved{};
  const bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::cerr << "password for " << username << ": ";
  }
  std::string password;
  std::getline(std::cin, password);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  return password;
}

}  // namespace

int MigrateCommand(PgDatabase& db, const Config& config) {
  auto applied = db.Migrate(config.schema_dir, config.db_app_role);
  if (!applied.ok()) {
    CoreLog().error("event=migrate_failed reason=\"{}\"", applied.status().ToString());
    return kExitDatabase;
  }
  CoreLog().info("event=schema_ready applied={}", *applied);
  return kExitOk;
}

int SeedDemoCommand(PgDatabase& db, const Config& config) {
  if (int rc = MigrateCommand(db, config); rc != kExitOk) return rc;
  SodiumPasswordHasher hasher;
  Status s = SeedDemo(db.facilities(), db.users(), hasher, DemoPassword());
  if (!s.ok()) {
    CoreLog().error("event=seed_failed reason=\"{}\"", s.ToString());
    return kExitDatabase;
  }
  CoreLog().info("event=demo_seeded facility_ae=DEMO_SCU accounts=admin,rad1,fac1,ministry1,spec1");
  return kExitOk;
}

int DemoDataCommand(PgDatabase& db) {
  const auto start = std::chrono::steady_clock::now();
  PgDemoLoader loader(db.pool());
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

// The way to create the first admin of a production install, where no demo accounts
// exist. Recorded in the audit trail as done by "cli".
int UserAddCommand(PgDatabase& db, const Config& config,
                   const std::map<std::string, std::string>& options) {
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
  if (int rc = MigrateCommand(db, config); rc != kExitOk) return rc;
  user.password = ReadPassword(user.username);
  SodiumPasswordHasher hasher;
  AdminService admin(db.facilities(), db.users(), hasher);
  Principal cli;
  cli.username = "cli";
  cli.role = Role::kAdmin;
  AuditEntry entry;
  entry.username = "cli";
  entry.role = "admin";
  entry.action = "user.create";
  entry.object_type = "user";
  entry.object_id = user.username.substr(0, 64);
  entry.remote_addr = "local";
  entry.outcome = AuditOutcome(Status::Ok());
  // A created account's entry commits with it; a refusal is recorded on its own.
  auto created = admin.CreateUser(cli, user, entry);
  if (!created.ok()) {
    entry.id = 0;
    entry.outcome = AuditOutcome(created.status());
    AuditService(db.audit(), SystemClock::Instance()).Record(entry, true);
  }
  if (!created.ok()) {
    std::cerr << "telerad: " << created.status().message() << "\n";
    return created.status().code() == StatusCode::kUnavailable ? kExitDatabase : kExitUsage;
  }
  std::cout << "created " << ToString(created->role) << " " << created->username << "\n";
  return kExitOk;
}

}  // namespace telerad
