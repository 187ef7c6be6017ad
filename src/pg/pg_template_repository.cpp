#include "src/pg/pg_template_repository.h"

#include "src/pg/pg_audit_insert.h"
#include "src/pg/pg_pool.h"
#include "src/pg/pg_row.h"

namespace telerad {
namespace {

constexpr const char* kColumns =
    "id, name, language, coalesce(modality_class, ''), coalesce(body_part, ''), findings,"
    " impression, active, version, " TELERAD_MICROS("updated_at") ", updated_by";

ReportTemplate RowToTemplate(const pqxx::row& r) {
  ReportTemplate t;
  t.id = r[0].as<int64_t>();
  t.name = r[1].as<std::string>();
  t.language = r[2].as<std::string>();
  t.modality_class = r[3].as<std::string>();
  t.body_part = r[4].as<std::string>();
  t.findings = r[5].as<std::string>();
  t.impression = r[6].as<std::string>();
  t.active = r[7].as<bool>();
  t.version = r[8].as<int>();
  t.updated_at = FromMicros(r[9].as<int64_t>());
  t.updated_by = r[10].as<std::string>();
  return t;
}

// "" (any) is stored as NULL.
std::optional<std::string> AnyAsNull(const std::string& value) {
  if (value.empty()) return std::nullopt;
  return value;
}

}  // namespace

PgTemplateRepository::PgTemplateRepository(PgPool& pool) : pool_(pool) {
  // $1-$3 filter when not NULL; a template for any modality or body part always fits.
  // Specific templates come before those for any (NULLS LAST).
  pool_.Prepare("template_list",
                std::string("SELECT ") + kColumns +
                    " FROM report_template WHERE ($1::text IS NULL OR language = $1)"
                    " AND ($2::text IS NULL OR modality_class IS NULL OR modality_class = $2)"
                    " AND ($3::text IS NULL OR body_part IS NULL OR body_part = $3)"
                    " AND (active OR NOT $4)"
                    " ORDER BY language, modality_class NULLS LAST, body_part NULLS LAST, name");
  pool_.Prepare("template_by_id",
                std::string("SELECT ") + kColumns + " FROM report_template WHERE id = $1");
  pool_.Prepare("template_insert",
                "INSERT INTO report_template (name, language, modality_class, body_part, findings,"
                " impression, active, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                " RETURNING " +
                    std::string(kColumns));
  pool_.Prepare("template_update",
                "UPDATE report_template SET name = $2, language = $3, modality_class = $4,"
                " body_part = $5, findings = $6, impression = $7, active = $8, updated_by = $9,"
                " version = version + 1, updated_at = now() WHERE id = $1 AND version = $10"
                " RETURNING " +
                    std::string(kColumns));
  pool_.Prepare("template_exists", "SELECT 1 FROM report_template WHERE id = $1");
  pool_.Prepare("template_delete", "DELETE FROM report_template WHERE id = $1");
}

Result<std::vector<ReportTemplate>> PgTemplateRepository::List(const TemplateFilter& f) {
  std::vector<ReportTemplate> all;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    all.clear();
    for (const auto& row :
         txn.exec_prepared("template_list", OrNull(f.language), OrNull(f.modality_class),
                           OrNull(f.body_part), f.active_only))
      all.push_back(RowToTemplate(row));
  });
  if (!s.ok()) return s;
  return all;
}

Result<std::optional<ReportTemplate>> PgTemplateRepository::Find(int64_t id) {
  std::optional<ReportTemplate> found;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    pqxx::result rows = txn.exec_prepared("template_by_id", id);
    found.reset();
    if (!rows.empty()) found = RowToTemplate(rows[0]);
  });
  if (!s.ok()) return s;
  return found;
}

// PgPool turns the unique violation of (language, name) into kConflict.
Result<ReportTemplate> PgTemplateRepository::Create(const ReportTemplate& t, AuditEntry& audit) {
  ReportTemplate stored;
  Status s = pool_.Run([&](pqxx::work& txn) {
    pqxx::result rows = txn.exec_prepared(
        "template_insert", t.name, t.language, OrNull(AnyAsNull(t.modality_class)),
        OrNull(AnyAsNull(t.body_part)), t.findings, t.impression, t.active, t.updated_by);
    stored = RowToTemplate(rows[0]);
    audit.object_id = std::to_string(stored.id);
    audit.id = InsertAudit(txn, audit);
  });
  if (!s.ok()) return s;
  return stored;
}

Result<ReportTemplate> PgTemplateRepository::Update(const ReportTemplate& t, int expected_version,
                                                    AuditEntry& audit) {
  ReportTemplate stored;
  Status s = pool_.Run([&](pqxx::work& txn) {
    pqxx::result rows =
        txn.exec_prepared("template_update", t.id, t.name, t.language,
                          OrNull(AnyAsNull(t.modality_class)), OrNull(AnyAsNull(t.body_part)),
                          t.findings, t.impression, t.active, t.updated_by, expected_version);
    if (rows.empty()) {
      if (txn.exec_prepared("template_exists", t.id).empty())
        throw AbortTransaction{Status::NotFound("no such template")};
      throw AbortTransaction{
          Status::FailedPrecondition("the template changed since that version was read")};
    }
    stored = RowToTemplate(rows[0]);
    audit.id = InsertAudit(txn, audit);
  });
  if (!s.ok()) return s;
  return stored;
}

Status PgTemplateRepository::Delete(int64_t id, AuditEntry& audit) {
  return pool_.Run([&](pqxx::work& txn) {
    if (txn.exec_prepared("template_delete", id).affected_rows() == 0)
      throw AbortTransaction{Status::NotFound("no such template")};
    audit.id = InsertAudit(txn, audit);
  });
}

}  // namespace telerad
