// PgKpiRepository: KpiRepository on PostgreSQL (the aggregates and indexes of schemas 0006,
// 0007 and 0016).
#pragma once

#include "src/kpi/kpi_repository.h"

namespace telerad {

class PgPool;

class PgKpiRepository : public KpiRepository {
 public:
  explicit PgKpiRepository(PgPool& pool);

  Result<bool> SetTimeZone(const std::string& zone) override;
  Result<KpiGroupedFigures> Figures(const KpiDimensions& dims, const KpiFilter& filter,
                                    KpiFiguresCache* cache) override;
  Result<FacilitiesUsing> FacilitiesUsingBy(date::sys_days last, const std::string& facility_code,
                                            const std::string& aimag) override;
  Result<std::vector<BacklogBucket>> Backlog() override;
  Result<std::vector<FacilityTotals>> Totals() override;
  Result<std::vector<KpiTarget>> Targets(const std::string& period) override;
  Result<KpiTarget> PutTarget(const KpiTarget& target, AuditEntry& audit) override;
  Status DeleteTarget(const std::string& indicator, const std::string& period,
                      AuditEntry& audit) override;

 private:
  // One attempt at Figures: with `join`, a request that finds the same question being
  // computed at the same counts waits for that answer (kpi_answer_flights.h); if that
  // computation failed, sets *waited_in_vain and returns an error.
  Result<KpiGroupedFigures> FiguresOnce(const KpiDimensions& dims, const KpiFilter& filter,
                                        KpiFiguresCache* cache, bool join, bool* waited_in_vain);

  PgPool& pool_;
};

}  // namespace telerad
