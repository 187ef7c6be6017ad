// PgFacilityRepository: FacilityRepository on PostgreSQL.
#pragma once

#include "src/facility_repository.h"

namespace telerad {

class PgPool;

class PgFacilityRepository : public FacilityRepository {
 public:
  // Registers its prepared statements on `pool`. REQUIRES: `pool` outlives this.
  explicit PgFacilityRepository(PgPool& pool);

  Result<std::optional<Facility>> FindByAeTitle(const std::string& ae_title) override;
  Result<Facility> Upsert(const Facility& facility) override;

 private:
  PgPool& pool_;
};

}  // namespace telerad
