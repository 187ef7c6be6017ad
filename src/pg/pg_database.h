// PgDatabase: telerad's PostgreSQL index as one object, the only way the rest of the
// server reaches the database (Orthanc's IDatabaseWrapper idea).
//
// It owns the connection pool and one repository per interface, and hands them out as
// the interfaces the services take; nothing in this header exposes libpqxx, so the
// wiring in src/app/ builds without it. Thread-safe, as every repository is; the
// repositories live as long as this object.
#pragma once

#include <memory>
#include <string>

#include "src/accounts/machine_token_repository.h"
#include "src/accounts/user_repository.h"
#include "src/audit/audit_repository.h"
#include "src/base/status.h"
#include "src/imaging/instance_images.h"
#include "src/imaging/qido_repository.h"
#include "src/index/facility_repository.h"
#include "src/index/study_repository.h"
#include "src/kpi/kpi_repository.h"
#include "src/online/consultation_repository.h"
#include "src/reading/report_repository.h"
#include "src/vocabulary/code_list_repository.h"
#include "src/vocabulary/template_repository.h"

namespace telerad {

class PgPool;

struct PgSettings {
  std::string url;                  // libpq conninfo or URI
  int pool_size = 8;                // most connections opened
  int statement_timeout_ms = 5000;  // statements running longer are cancelled
};

// How the pool is used right now (for the metrics).
struct PgPoolFigures {
  int in_use = 0;
  int open = 0;
  int size = 0;
};

// The connected role's powers beyond the server's own needs (InspectConnectedRole).
struct DatabaseRole {
  std::string name;
  bool superuser = false;
  bool create_role = false;  // could grant itself the owner's role
  bool create_db = false;
  bool owns_tables = false;         // owner of the tables, or may become it
  bool owns_database = false;       // owner of the database or of schema public
  bool can_change_audit = false;    // UPDATE, DELETE or TRUNCATE on audit_event
  bool can_create_objects = false;  // CREATE on schema public
  // Why this role must not run the server, "" when it may.
  std::string Unsafe() const;
};

class PgDatabase {
 public:
  // Prepares the pool and the repositories' statements; opens no connection yet, so it
  // succeeds while PostgreSQL is down (the first statement then answers kUnavailable).
  explicit PgDatabase(const PgSettings& settings);
  ~PgDatabase();
  PgDatabase(const PgDatabase&) = delete;
  PgDatabase& operator=(const PgDatabase&) = delete;

  // Applies the numbered migrations in `schema_dir` that are missing (PgMigrator::Apply):
  // how many ran; kInvalidArgument for a badly named file or an unreadable folder,
  // kUnavailable when the database is down, kInternal when a migration fails.
  // Then grants `app_role` the server's privileges (pg_app_grants.h; empty: none).
  Result<int> Migrate(const std::string& schema_dir, const std::string& app_role = "");

  // How many migrations of `schema_dir` are not applied (PgMigrator::Pending).
  Result<int> PendingMigrations(const std::string& schema_dir);

  // The connected role's powers; REQUIRES a migrated schema.
  Result<DatabaseRole> ConnectedRole();

  // Active accounts of the admin role (start-up says how to create the first).
  Result<int> CountActiveAdmins();

  StudyRepository& studies();
  FacilityRepository& facilities();
  UserRepository& users();
  MachineTokenRepository& machine_tokens();
  ReportRepository& reports();
  AuditRepository& audit();
  KpiRepository& kpi();
  ConsultationRepository& consultations();
  InstanceImages& instance_images();
  QidoRepository& qido();
  TemplateRepository& templates();
  CodeListRepository& code_lists();

  PgPoolFigures pool_figures() const;

  // The pool itself, for the other parts of src/pg/ (the demo loader). Its header
  // exposes libpqxx, so only src/pg/ includes it.
  PgPool& pool();

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace telerad
