// The server's database role (issue 12, "Safe defaults"): `telerad serve` connects as the
// application role, which `telerad migrate` grants only what the server needs. Played as
// an attacker who holds the server's own credentials: the audit trail can be read and
// appended to, never changed, deleted or truncated, its triggers cannot be disabled, the
// schema cannot be changed, and the server keeps serving and auditing throughout.
// Started with a role that could do more, serve refuses to run.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <pqxx/pqxx>
#include <thread>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

constexpr int kExitDatabase = 4;
constexpr int kExitUnsafeDatabaseRole = 9;

// "42501" (insufficient_privilege) when `sql` is refused as the application role for want
// of a privilege, another error's text when it fails otherwise, "" when it succeeds.
// libpqxx 6 leaves sqlstate() empty on this path, but throws the error class's type.
std::string SqlStateAsAppRole(const TestDatabase& db, const std::string& sql) {
  try {
    pqxx::connection conn(db.app_url());
    pqxx::work txn(conn);
    txn.exec(sql);
    txn.commit();
    return "";
  } catch (const pqxx::insufficient_privilege&) {
    return "42501";
  } catch (const pqxx::sql_error& e) {
    return e.what();
  }
}

int AuditRows(const TestDatabase& db) {
  return std::stoi(db.Scalar("SELECT count(*) FROM audit_event"));
}

// Runs `telerad serve` with `env` (TELERAD_* assignments) and no demo seeding; returns
// its exit code and output. It must exit by itself: the caller expects a refusal.
CommandResult ServeExpectingRefusal(const std::string& env) {
  const char* pass_file = std::getenv("PGPASSFILE");
  const std::string storage = MakeTempDir("telerad-refused");
  CommandResult r =
      RunCommand("env -i PATH=/usr/bin:/bin " +
                 (pass_file ? "PGPASSFILE=" + Quote(pass_file) + " " : std::string()) +
                 "TELERAD_SCHEMA_DIR=" + Quote(SchemaDir()) + " TELERAD_STORAGE=" + Quote(storage) +
                 " TELERAD_HTTP_BIND=127.0.0.1 TELERAD_HTTP_PORT=" + std::to_string(FreePort()) +
                 " TELERAD_DICOM_PORT=" + std::to_string(FreePort()) + " " + env + " timeout 60 " +
                 Quote(BinDir() + "/telerad") + " serve");
  std::filesystem::remove_all(storage);
  return r;
}

class LeastPrivilegeTest : public ServerTest {};

TEST_F(LeastPrivilegeTest, TheServersOwnRoleCannotDeleteUpdateOrTruncateTheAuditTrail) {
  const std::string admin = Login(server_->http_port, "admin");
  ASSERT_EQ(Http("GET", server_->http_port, "/api/v1/worklist", "", admin).status, 200);
  for (int i = 0; i < 50 && AuditRows(db_) < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const int before = AuditRows(db_);
  ASSERT_GE(before, 2);

  // The server really is connected as the application role, and nothing more.
  EXPECT_EQ(db_.Scalar("SELECT string_agg(DISTINCT usename, ',') FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()"),
            "telerad_app");
  EXPECT_EQ(db_.Scalar("SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles "
                       "WHERE rolname = 'telerad_app'"),
            "f");
  EXPECT_EQ(db_.Scalar("SELECT pg_has_role('telerad_app', relowner, 'MEMBER') FROM pg_class "
                       "WHERE oid = 'audit_event'::regclass"),
            "f");

  // 42501: insufficient_privilege. Refused by the privileges themselves, before any
  // trigger, so disabling the triggers would not help (and is refused too).
  EXPECT_EQ(SqlStateAsAppRole(db_, "DELETE FROM audit_event"), "42501");
  EXPECT_EQ(SqlStateAsAppRole(db_,
                              "DELETE FROM audit_event WHERE id = (SELECT max(id) FROM "
                              "audit_event)"),
            "42501");
  EXPECT_EQ(SqlStateAsAppRole(db_, "UPDATE audit_event SET outcome = 'success'"), "42501");
  EXPECT_EQ(SqlStateAsAppRole(db_, "TRUNCATE audit_event"), "42501");
  EXPECT_EQ(SqlStateAsAppRole(db_, "ALTER TABLE audit_event DISABLE TRIGGER USER"), "42501");
  EXPECT_EQ(SqlStateAsAppRole(db_, "DROP TABLE audit_event"), "42501");
  EXPECT_EQ(SqlStateAsAppRole(db_, "DROP SCHEMA public CASCADE"), "42501");
  EXPECT_EQ(SqlStateAsAppRole(db_, "CREATE TABLE shadow (x int)"), "42501");
  EXPECT_EQ(SqlStateAsAppRole(db_, "SET ROLE telerad"), "42501");
  EXPECT_EQ(SqlStateAsAppRole(db_, "DELETE FROM report_addendum"), "42501");
  EXPECT_EQ(SqlStateAsAppRole(db_, "DELETE FROM schema_migration"), "42501");
  EXPECT_EQ(SqlStateAsAppRole(db_, "TRUNCATE app_user CASCADE"), "42501");
  // What the server needs it keeps: reading the trail and appending to it.
  EXPECT_EQ(SqlStateAsAppRole(db_,
                              "INSERT INTO audit_event (action, outcome) VALUES "
                              "('attack.probe', 'denied')"),
            "");
  EXPECT_EQ(SqlStateAsAppRole(db_, "SELECT count(*) FROM audit_event"), "");

  // Nothing was lost, and the server goes on serving and writing the trail.
  EXPECT_GE(AuditRows(db_), before + 1);
  const int after_probe = AuditRows(db_);
  EXPECT_EQ(Http("GET", server_->http_port, "/api/v1/worklist", "", admin).status, 200);
  for (int i = 0; i < 50 && AuditRows(db_) <= after_probe; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_GT(AuditRows(db_), after_probe);
  EXPECT_EQ(Http("GET", server_->http_port, "/readyz").status, 200);
  EXPECT_EQ(::kill(server_->pid(), 0), 0);
}

TEST_F(LeastPrivilegeTest, ServeRefusesARoleThatCouldRewriteTheTrailAndMigrateTakesItBack) {
  // As the cluster's superuser (also the tables' owner): refused.
  CommandResult as_owner = ServeExpectingRefusal("TELERAD_DB_URL=" + Quote(db_.url()));
  EXPECT_EQ(as_owner.exit_code, kExitUnsafeDatabaseRole) << as_owner.output;
  EXPECT_NE(as_owner.output.find("event=database_role_refused"), std::string::npos);

  // A DELETE on the trail granted by hand to the application role: refused as well...
  db_.Scalar("GRANT DELETE ON audit_event TO telerad_app");
  CommandResult widened = ServeExpectingRefusal("TELERAD_DB_URL=" + Quote(db_.app_url()));
  EXPECT_EQ(widened.exit_code, kExitUnsafeDatabaseRole) << widened.output;
  EXPECT_NE(widened.output.find("audit trail"), std::string::npos) << widened.output;
  // ...until the next migrate recomputes the grants from scratch.
  ASSERT_EQ(TeleradCommand(db_, "telerad", "migrate").exit_code, 0);
  EXPECT_EQ(db_.Scalar("SELECT has_table_privilege('telerad_app', 'audit_event', 'DELETE')"), "f");
  EXPECT_EQ(db_.Scalar("SELECT has_table_privilege('telerad_app', 'audit_event', 'INSERT')"), "t");
  // DELETE only where the server deletes: never a study, report, account or instance.
  for (const char* kept : {"study", "instance", "report", "app_user", "facility", "consultation"})
    EXPECT_EQ(db_.Scalar(std::string("SELECT has_table_privilege('telerad_app', '") + kept +
                         "', 'DELETE')"),
              "f")
        << kept;
  EXPECT_EQ(db_.Scalar("SELECT has_table_privilege('telerad_app', 'study', 'UPDATE')"), "t");
  EXPECT_EQ(db_.Scalar("SELECT has_table_privilege('telerad_app', 'login_failure', 'DELETE')"),
            "t");

  // The running server was never disturbed.
  EXPECT_EQ(Http("GET", server_->http_port, "/readyz").status, 200);
  EXPECT_FALSE(Login(server_->http_port, "rad1").empty());
}

TEST(LeastPrivilegeStartTest, ServeRefusesASchemaItMayNotMigrate) {
  TestDatabase db;  // empty: never migrated
  CommandResult r = ServeExpectingRefusal("TELERAD_DB_URL=" + Quote(db.app_url()));
  EXPECT_EQ(r.exit_code, kExitDatabase) << r.output;
  EXPECT_NE(r.output.find("event=schema_not_current"), std::string::npos) << r.output;
  EXPECT_EQ(db.Scalar("SELECT to_regclass('schema_migration')"), "");
}

TEST(LeastPrivilegeStartTest, ServeOnANewDatabaseCreatesNoAccountAndSaysHowToMakeOne) {
  TestDatabase db;
  TeleradServer::Options options;
  options.seed_demo = false;  // a production install: migrate, then serve
  TeleradServer server(db, options);
  server.Start();
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM app_user"), "0");
  EXPECT_NE(server.Log().find("event=no_admin_account"), std::string::npos) << server.Log();
  EXPECT_NE(server.Log().find("telerad user add"), std::string::npos);
  EXPECT_EQ(server.Log().find("demo_accounts_active"), std::string::npos);
  // The published demo password opens nothing.
  EXPECT_EQ(Http("POST", server.http_port, "/api/v1/auth/login",
                 R"({"username":"admin","password":"telerad-demo"})")
                .status,
            401);

  // The operator makes the first admin (as the owner), who can then sign in.
  CommandResult added =
      RunCommand("echo 'chief admin passphrase' | TELERAD_DB_URL=" + Quote(db.url()) + " " +
                 Quote(BinDir() + "/telerad") + " user add --username chief --role admin");
  ASSERT_EQ(added.exit_code, 0) << added.output;
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM app_user"), "1");
  EXPECT_FALSE(Login(server.http_port, "chief", "chief admin passphrase").empty());
  EXPECT_EQ(Http("GET", server.http_port, "/readyz").status, 200);
}

}  // namespace
}  // namespace telerad::testing
