#include "src/study_service.h"

#include "src/study_access.h"
#include "src/uid.h"

namespace telerad {

StudyService::StudyService(StudyRepository& studies, std::chrono::seconds claim_lease)
    : studies_(studies), claim_lease_(claim_lease) {}

Result<StudyPage> StudyService::List(const Principal& who, StudyQuery query) {
  if (query.limit < 1 || query.limit > 200)
    return Status::InvalidArgument("limit must be between 1 and 200");
  switch (who.role) {
    case Role::kMinistry:
      return Status::PermissionDenied("ministry accounts see aggregates only");
    case Role::kFacility:
      if (!who.facility_id) return Status::PermissionDenied("facility account without facility");
      query.facility_id = who.facility_id;
      break;
    case Role::kRadiologist:
    case Role::kAdmin:
      if (!query.status) query.status = StudyStatus::kReady;
      break;
  }
  return studies_.ListStudies(query);
}

Result<Study> StudyService::Get(const Principal& who, const std::string& study_uid) {
  return VisibleStudy(studies_, who, study_uid);
}

}  // namespace telerad

namespace telerad {

Result<ClaimResult> StudyService::Claim(const Principal& who, const std::string& study_uid) {
  if (who.role != Role::kRadiologist)
    return Status::PermissionDenied("only radiologists claim studies");
  if (!IsValidUid(study_uid)) return Status::NotFound("no such study");
  auto outcome = studies_.Claim(study_uid, who.user_id, claim_lease_);
  if (!outcome.ok()) return outcome.status();
  if (!outcome->found) return Status::NotFound("no such study");
  if (!outcome->claimed) {
    if (outcome->status == StudyStatus::kClaimed && outcome->holder)
      return Status::Conflict("study is claimed by " + *outcome->holder);
    return Status::Conflict(std::string("study is ") + ToString(outcome->status) + ", not ready");
  }
  return ClaimResult{study_uid, who.username, outcome->expires_at.value_or(TimePoint{})};
}

Status StudyService::Release(const Principal& who, const std::string& study_uid) {
  if (who.role != Role::kRadiologist)
    return Status::PermissionDenied("only radiologists release studies");
  if (!IsValidUid(study_uid)) return Status::NotFound("no such study");
  auto released = studies_.Release(study_uid, who.user_id);
  if (!released.ok()) return released.status();
  if (*released) return Status::Ok();
  auto found = studies_.FindStudy(study_uid);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::NotFound("no such study");
  return Status::Conflict("you hold no claim on this study");
}

}  // namespace telerad
