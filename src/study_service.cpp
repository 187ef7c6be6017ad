#include "src/study_service.h"

#include "src/uid.h"

namespace telerad {

StudyService::StudyService(StudyRepository& studies) : studies_(studies) {}

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
  if (who.role == Role::kMinistry)
    return Status::PermissionDenied("ministry accounts see aggregates only");
  if (!IsValidUid(study_uid)) return Status::NotFound("no such study");
  auto found = studies_.FindStudy(study_uid);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::NotFound("no such study");
  if (who.role == Role::kFacility && (*found)->facility.id != who.facility_id.value_or(-1))
    return Status::NotFound("no such study");
  return std::move(**found);
}

}  // namespace telerad
