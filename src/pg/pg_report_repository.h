// PgReportRepository: ReportRepository on PostgreSQL. All report and delivery SQL is here.
#pragma once

#include "src/reading/report_repository.h"

namespace telerad {

class PgPool;

class PgReportRepository : public ReportRepository {
 public:
  // Registers its prepared statements on `pool`. REQUIRES: `pool` outlives this.
  explicit PgReportRepository(PgPool& pool);

  Result<std::optional<Report>> FindByStudy(const std::string& study_uid) override;
  Result<ReportWrite> SaveDraft(const std::string& study_uid, int64_t user_id,
                                std::optional<int> expected_version, const DraftContent& content,
                                std::chrono::seconds lease, AuditEntry& audit) override;
  Result<ReportWrite> Sign(const std::string& study_uid, int64_t user_id,
                           std::optional<int> expected_version, const std::string& sr_series_uid,
                           const std::string& sr_instance_uid, AuditEntry& audit) override;
  Result<ReportWrite> AddAddendum(const std::string& study_uid, int64_t user_id,
                                  const std::string& text, const std::string& sr_instance_uid,
                                  AuditEntry& audit) override;
  Result<bool> AcknowledgeCritical(const std::string& study_uid, int64_t user_id,
                                   AuditEntry& audit) override;
  Result<std::optional<DeliveryJob>> TakeDueDelivery(std::chrono::seconds hold) override;
  Status MarkDelivered(int64_t report_id, const std::string& sr_instance_uid,
                       AuditEntry& audit) override;
  Status MarkUndeliverable(int64_t report_id, const std::string& sr_instance_uid,
                           const std::string& reason) override;
  Status MarkDeliveryFailed(int64_t report_id, const std::string& sr_instance_uid,
                            const std::string& error, std::chrono::seconds retry_in,
                            AuditEntry& audit) override;

 private:
  PgPool& pool_;
};

}  // namespace telerad
