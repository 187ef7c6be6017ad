// PgStudyRepository: StudyRepository on PostgreSQL. All of the study index's SQL is here.
#pragma once

#include "src/index/study_repository.h"

namespace telerad {

class PgPool;

class PgStudyRepository : public StudyRepository {
 public:
  // Registers its prepared statements on `pool`. REQUIRES: `pool` outlives this.
  explicit PgStudyRepository(PgPool& pool);

  Result<std::optional<StoredInstance>> FindInstance(const std::string& sop_instance_uid) override;
  Result<std::map<std::string, StoredInstance>> FindInstances(
      const std::vector<std::string>& sop_instance_uids) override;
  Status MakeCommitsDurable() override;
  Result<IndexOutcome> IndexInstance(const InstanceRecord& record,
                                     const MakeFileDurable& make_durable) override;
  Status SetStorageKey(const std::string& sop_instance_uid, const std::string& key) override;
  Result<int> PromoteStableStudies(std::chrono::seconds quiet, const SlaTargets& sla) override;
  Result<StudyPage> ListStudies(const StudyQuery& query) override;
  Result<ClaimOutcome> Claim(const std::string& study_uid, int64_t user_id,
                             std::chrono::seconds lease, AuditEntry& audit) override;
  Result<bool> Release(const std::string& study_uid, int64_t user_id, AuditEntry& audit) override;
  Result<int> ExpireClaims() override;
  Result<bool> UpdateOrder(const std::string& study_uid, std::optional<Priority> priority,
                           const std::optional<std::string>& clinical_info, const SlaTargets& sla,
                           AuditEntry& audit) override;
  Result<std::optional<Study>> FindStudy(const std::string& study_uid) override;
  Status Ping() override;

 private:
  PgPool& pool_;
};

}  // namespace telerad
