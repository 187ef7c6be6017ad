// PgTemplateRepository: TemplateRepository on PostgreSQL (table report_template, schema 0015).
#pragma once

#include "src/vocabulary/template_repository.h"

namespace telerad {

class PgPool;

class PgTemplateRepository : public TemplateRepository {
 public:
  // Registers its prepared statements on `pool`. REQUIRES: `pool` outlives this.
  explicit PgTemplateRepository(PgPool& pool);

  Result<std::vector<ReportTemplate>> List(const TemplateFilter& filter) override;
  Result<std::optional<ReportTemplate>> Find(int64_t id) override;
  Result<ReportTemplate> Create(const ReportTemplate& t, AuditEntry& audit) override;
  Result<ReportTemplate> Update(const ReportTemplate& t, int expected_version,
                                AuditEntry& audit) override;
  Status Delete(int64_t id, AuditEntry& audit) override;

 private:
  PgPool& pool_;
};

}  // namespace telerad
