#include "src/pg/pg_migrator.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "src/base/logging.h"
#include "src/pg/pg_app_grants.h"
#include "src/pg/pg_pool.h"

namespace telerad {
namespace {

struct Migration {
  int version;
  std::string name;
  std::string path;
};

// The folder's migration files in number order.
Result<std::vector<Migration>> ListMigrations(const std::string& schema_dir) {
  std::vector<Migration> migrations;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(schema_dir, ec)) {
    const std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".sql") continue;
    size_t digits = 0;
    while (digits < file.size() && std::isdigit(static_cast<unsigned char>(file[digits]))) ++digits;
    if (digits == 0 || digits >= file.size() || file[digits] != '_')
      return Status::InvalidArgument("migration file not named NNNN_name.sql: " + file);
    migrations.push_back({std::stoi(file.substr(0, digits)), file, entry.path().string()});
  }
  if (ec) return Status::InvalidArgument("cannot read schema folder " + schema_dir);
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (size_t i = 1; i < migrations.size(); ++i)
    if (migrations[i].version == migrations[i - 1].version)
      return Status::InvalidArgument("two migrations share number " +
                                     std::to_string(migrations[i].version));
  return migrations;
}

}  // namespace

PgMigrator::PgMigrator(PgPool& pool, std::string schema_dir, std::string app_role)
    : pool_(pool), schema_dir_(std::move(schema_dir)), app_role_(std::move(app_role)) {}

Result<int> PgMigrator::Pending() {
  auto listed = ListMigrations(schema_dir_);
  if (!listed.ok()) return listed.status();
  int pending = 0;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    pending = static_cast<int>(listed->size());
    if (txn.exec("SELECT to_regclass('schema_migration')")[0][0].is_null()) return;
    pqxx::result applied = txn.exec("SELECT version FROM schema_migration");
    for (const Migration& m : *listed)
      for (const auto& row : applied)
        if (row[0].as<int>() == m.version) {
          --pending;
          break;
        }
  });
  if (!s.ok()) return s;
  return pending;
}

Result<int> PgMigrator::Apply() {
  auto listed = ListMigrations(schema_dir_);
  if (!listed.ok()) return listed.status();
  const std::vector<Migration>& migrations = *listed;

  Status s = pool_.Run([](pqxx::work& txn) {
    txn.exec0(
        "CREATE TABLE IF NOT EXISTS schema_migration ("
        " version integer PRIMARY KEY, name text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now())");
  });
  // Two servers creating the table at once: one wins, the other sees a duplicate.
  if (!s.ok() && s.code() != StatusCode::kConflict) return s;

  int applied = 0;
  for (const Migration& m : migrations) {
    std::ifstream in(m.path);
    std::stringstream sql;
    sql << in.rdbuf();
    if (!in) return Status::InvalidArgument("cannot read " + m.path);
    bool ran = false;
    s = pool_.Run([&](pqxx::work& txn) {
      ran = false;
      txn.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
      if (!txn.exec_params("SELECT 1 FROM schema_migration WHERE version = $1", m.version).empty())
        return;
      // A migration that recounts or indexes a large database takes longer than any
      // request may (db_statement_timeout_ms); it runs once, so it may take its time.
      txn.exec0("SET LOCAL statement_timeout = 0");
      txn.exec0(sql.str());
      txn.exec_params0("INSERT INTO schema_migration (version, name) VALUES ($1, $2)", m.version,
                       m.name);
      ran = true;
    });
    if (!s.ok()) {
      CoreLog().error("event=migration_failed file={} reason=\"{}\"", m.name, s.ToString());
      return s.code() == StatusCode::kUnavailable
                 ? s
                 : Status::Internal("migration " + m.name + " failed");
    }
    if (ran) {
      CoreLog().info("event=migration_applied file={}", m.name);
      ++applied;
    }
  }
  if (!app_role_.empty())
    if (Status granted = GrantAppPrivileges(pool_, app_role_); !granted.ok()) return granted;
  return applied;
}

}  // namespace telerad
