// PgAuditRepository: AuditRepository on PostgreSQL.
#pragma once

#include "src/audit/audit_repository.h"

namespace telerad {

class PgPool;

class PgAuditRepository : public AuditRepository {
 public:
  explicit PgAuditRepository(PgPool& pool);
  Status Append(const AuditEntry& entry, bool durable) override;
  Status AppendReads(const std::vector<AuditEntry>& entries) override;
  Result<AuditPage> List(const AuditQuery& query) override;

 private:
  PgPool& pool_;
};

}  // namespace telerad
