#include "src/pg/pg_app_grants.h"

#include "src/base/logging.h"
#include "src/pg/pg_migrator.h"
#include "src/pg/pg_pool.h"

namespace telerad {
namespace {

// Tables whose rows are never changed once written: the database also refuses it with
// triggers (schema 0003), but a trigger can be disabled by the owner; a missing privilege
// cannot be worked around by the role that lacks it. A new append-only table joins here.
constexpr const char* kAppendOnlyTables[] = {"audit_event", "report_addendum"};

// The only tables the server deletes rows from: cleared login failures, withdrawn KPI
// targets, the KPI aggregates that kpi_recount() rebuilds when the time zone
// changes, and the reading desk's reference data (report templates an admin deletes, a
// code list an admin replaces whole). Studies, reports, accounts and the rest are never deleted by
// the server, so a flaw in it cannot delete them either. A table the server starts deleting from
// joins here.
constexpr const char* kDeletableTables[] = {"login_failure",
                                            "kpi_target",
                                            "kpi_study_daily",
                                            "kpi_consultation_daily",
                                            "kpi_facility_activity",
                                            "kpi_study_monthly",
                                            "kpi_consultation_monthly",
                                            "kpi_turnaround_monthly",
                                            "kpi_turnaround_national_daily",
                                            "kpi_turnaround_national_monthly",
                                            "kpi_study_total",
                                            "kpi_consultation_total",
                                            "kpi_backlog_hourly",
                                            "report_template",
                                            "diagnosis_code"};

}  // namespace

Status GrantAppPrivileges(PgPool& pool, const std::string& app_role) {
  bool missing = false;
  Status s = pool.Run([&](pqxx::work& txn) {
    pqxx::result role = txn.exec_params(
        "SELECT rolsuper, rolname = current_user FROM pg_roles WHERE rolname = $1", app_role);
    if (role.empty()) {
      missing = true;
      return;
    }
    if (role[0][0].as<bool>() || role[0][1].as<bool>())
      throw AbortTransaction{Status::FailedPrecondition(
          "db_app_role '" + app_role +
          "' is a superuser or the role running the migrations; it must be a role of its own")};
    const std::string r = txn.quote_name(app_role);
    // The same lock as the migrations: two servers migrating at once grant one after the other.
    txn.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
    txn.exec0("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    txn.exec0("REVOKE ALL ON SCHEMA public FROM " + r);
    txn.exec0("GRANT USAGE ON SCHEMA public TO " + r);
    txn.exec0("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM " + r);
    txn.exec0("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO " + r);
    for (const char* table : kDeletableTables)
      if (!txn.exec_params("SELECT to_regclass($1)", table)[0][0].is_null())
        txn.exec0(std::string("GRANT DELETE ON ") + table + " TO " + r);
    for (const char* table : kAppendOnlyTables)
      if (!txn.exec_params("SELECT to_regclass($1)", table)[0][0].is_null())
        txn.exec0(std::string("REVOKE UPDATE ON ") + table + " FROM " + r);
    txn.exec0("REVOKE INSERT, UPDATE ON schema_migration FROM " + r);
    txn.exec0("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM " + r);
    txn.exec0("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " + r);
  });
  if (!s.ok()) return s;
  if (missing)
    CoreLog().error(
        "event=app_role_missing role={} hint=\"create it (CREATE ROLE {} LOGIN PASSWORD ...), then "
        "run telerad migrate again; telerad serve connects as it\"",
        app_role, app_role);
  else
    CoreLog().info("event=app_role_granted role={}", app_role);
  return Status::Ok();
}

}  // namespace telerad
