// PgCodeListRepository: CodeListRepository on PostgreSQL (table diagnosis_code, schema
// 0015, searched through its trigram and code-prefix indexes).
#pragma once

#include "src/vocabulary/code_list_repository.h"

namespace telerad {

class PgPool;

class PgCodeListRepository : public CodeListRepository {
 public:
  // Registers its prepared statements on `pool`. REQUIRES: `pool` outlives this.
  explicit PgCodeListRepository(PgPool& pool);

  Result<std::vector<DiagnosisCode>> Search(const CodeQuery& query) override;
  Result<int> Replace(IcdSystem system, const std::vector<DiagnosisCode>& codes,
                      AuditEntry& audit) override;

 private:
  PgPool& pool_;
};

}  // namespace telerad
