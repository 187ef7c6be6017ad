#include "src/pg/pg_database.h"

#include "src/pg/pg_audit_repository.h"
#include "src/pg/pg_code_list_repository.h"
#include "src/pg/pg_consultation_repository.h"
#include "src/pg/pg_facility_repository.h"
#include "src/pg/pg_instance_images.h"
#include "src/pg/pg_kpi_repository.h"
#include "src/pg/pg_machine_token_repository.h"
#include "src/pg/pg_migrator.h"
#include "src/pg/pg_pool.h"
#include "src/pg/pg_qido_repository.h"
#include "src/pg/pg_report_repository.h"
#include "src/pg/pg_role_inspection.h"
#include "src/pg/pg_study_repository.h"
#include "src/pg/pg_template_repository.h"
#include "src/pg/pg_user_repository.h"

namespace telerad {

// Declaration order is construction order: the pool first, destroyed last.
struct PgDatabase::Parts {
  explicit Parts(const PgSettings& s)
      : pool(s.url, s.pool_size, s.statement_timeout_ms),
        studies(pool),
        facilities(pool),
        users(pool),
        reports(pool),
        audit(pool),
        kpi(pool),
        consultations(pool),
        instance_images(pool),
        qido(pool),
        machine_tokens(pool),
        templates(pool),
        code_lists(pool) {}
  PgPool pool;
  PgStudyRepository studies;
  PgFacilityRepository facilities;
  PgUserRepository users;
  PgReportRepository reports;
  PgAuditRepository audit;
  PgKpiRepository kpi;
  PgConsultationRepository consultations;
  PgInstanceImages instance_images;
  PgQidoRepository qido;
  PgMachineTokenRepository machine_tokens;
  PgTemplateRepository templates;
  PgCodeListRepository code_lists;
};

PgDatabase::PgDatabase(const PgSettings& settings) : parts_(std::make_unique<Parts>(settings)) {}
PgDatabase::~PgDatabase() = default;

Result<int> PgDatabase::Migrate(const std::string& schema_dir, const std::string& app_role) {
  return PgMigrator(parts_->pool, schema_dir, app_role).Apply();
}

Result<int> PgDatabase::PendingMigrations(const std::string& schema_dir) {
  return PgMigrator(parts_->pool, schema_dir).Pending();
}

Result<DatabaseRole> PgDatabase::ConnectedRole() { return InspectConnectedRole(parts_->pool); }

Result<int> PgDatabase::CountActiveAdmins() {
  int count = 0;
  Status s = parts_->pool.Read([&](pqxx::nontransaction& txn) {
    count = txn.exec1("SELECT count(*) FROM app_user WHERE role = 'admin' AND active")[0].as<int>();
  });
  if (!s.ok()) return s;
  return count;
}

std::string DatabaseRole::Unsafe() const {
  if (superuser) return "is a superuser";
  if (owns_tables) return "owns the tables (or may become their owner)";
  if (owns_database) return "owns the database or its schema public";
  if (can_change_audit) return "may UPDATE, DELETE or TRUNCATE the audit trail";
  if (can_create_objects) return "may create objects in schema public";
  if (create_role) return "has CREATEROLE (it could grant itself the owner's role)";
  if (create_db) return "has CREATEDB";
  return "";
}

StudyRepository& PgDatabase::studies() { return parts_->studies; }
FacilityRepository& PgDatabase::facilities() { return parts_->facilities; }
UserRepository& PgDatabase::users() { return parts_->users; }
MachineTokenRepository& PgDatabase::machine_tokens() { return parts_->machine_tokens; }
ReportRepository& PgDatabase::reports() { return parts_->reports; }
AuditRepository& PgDatabase::audit() { return parts_->audit; }
KpiRepository& PgDatabase::kpi() { return parts_->kpi; }
ConsultationRepository& PgDatabase::consultations() { return parts_->consultations; }
InstanceImages& PgDatabase::instance_images() { return parts_->instance_images; }
QidoRepository& PgDatabase::qido() { return parts_->qido; }
TemplateRepository& PgDatabase::templates() { return parts_->templates; }
CodeListRepository& PgDatabase::code_lists() { return parts_->code_lists; }

PgPoolFigures PgDatabase::pool_figures() const {
  const PgPool& pool = parts_->pool;
  return {pool.InUse(), pool.OpenConnections(), pool.size()};
}

PgPool& PgDatabase::pool() { return parts_->pool; }

}  // namespace telerad
