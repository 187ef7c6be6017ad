// PgFacilityRepository: FacilityRepository on PostgreSQL.
#pragma once

#include <optional>

#include "src/index/facility_repository.h"

namespace telerad {

class PgPool;

class PgFacilityRepository : public FacilityRepository {
 public:
  // Registers its prepared statements on `pool`. REQUIRES: `pool` outlives this.
  explicit PgFacilityRepository(PgPool& pool);

  Result<std::optional<Facility>> FindByAeTitle(const std::string& ae_title) override;
  Result<Facility> Upsert(const Facility& facility) override;
  Result<std::optional<Facility>> FindByCode(const std::string& code) override;
  Result<std::vector<Facility>> List() override;
  Result<Facility> Create(const Facility& facility, AuditEntry& audit) override;
  Result<Facility> Update(const Facility& facility, AuditEntry& audit) override;

 private:
  // Runs the insert or update `statement` with the facility's columns, and for the
  // guarded update the version it expects ($13). `audit`, when given, is appended in the
  // same transaction (Upsert, the seeders', gives none).
  Result<Facility> Write(const char* statement, const Facility& facility,
                         std::optional<int> expected_version, AuditEntry* audit);

  PgPool& pool_;
};

}  // namespace telerad
