// PgConsultationRepository: ConsultationRepository on PostgreSQL. All e-examination SQL is
// here. The KPI aggregates (kpi_consultation_daily, kpi_facility_activity) follow by
// themselves: schema 0006's triggers count every insert and status change in the same
// transaction.
#pragma once

#include "src/online/consultation_repository.h"

namespace telerad {

class PgPool;

class PgConsultationRepository : public ConsultationRepository {
 public:
  // Registers its prepared statements on `pool`. REQUIRES: `pool` outlives this.
  explicit PgConsultationRepository(PgPool& pool);

  Result<Consultation> Create(const NewConsultation& booking, AuditEntry& audit) override;
  Result<std::optional<Consultation>> Find(int64_t id) override;
  Result<ConsultationPage> List(const ConsultationQuery& query) override;
  Result<ConsultationWrite> Accept(int64_t id, const TransitionGuard& guard, int64_t specialist_id,
                                   TimePoint slot_at, AuditEntry& audit) override;
  Result<ConsultationWrite> Complete(int64_t id, const TransitionGuard& guard,
                                     const std::string& conclusion,
                                     const std::vector<std::string>& icd_codes,
                                     AuditEntry& audit) override;
  Result<ConsultationWrite> Cancel(int64_t id, const TransitionGuard& guard,
                                   const std::string& reason, AuditEntry& audit) override;
  Result<ConsultationWrite> MarkNoShow(int64_t id, const TransitionGuard& guard,
                                       AuditEntry& audit) override;

 private:
  // Runs the guarded UPDATE `statement` (parameters: id, the guard, then `extra`) and
  // reads the row back, or explains why it did not match; appends `audit` when it matched.
  Result<ConsultationWrite> Transition(const char* statement, int64_t id,
                                       const TransitionGuard& guard,
                                       const std::vector<std::optional<std::string>>& extra,
                                       AuditEntry& audit);

  PgPool& pool_;
};

}  // namespace telerad
