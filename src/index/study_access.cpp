#include "src/index/study_access.h"

#include "src/base/uid.h"

namespace telerad {

Status MayReadStudies(const Principal& who) {
  // An allow-list, so a role added later sees no study until it is given the right.
  if (who.role == Role::kMinistry)
    return Status::PermissionDenied("ministry accounts see aggregates only");
  if (who.role != Role::kAdmin && who.role != Role::kRadiologist && who.role != Role::kFacility)
    return Status::PermissionDenied("this role does not read studies");
  return Status::Ok();
}

bool SeesStudiesOf(const Principal& who, int64_t facility_id) {
  return who.role != Role::kFacility || facility_id == who.facility_id.value_or(-1);
}

Result<Study> VisibleStudy(StudyRepository& studies, const Principal& who,
                           const std::string& study_uid) {
  if (Status allowed = MayReadStudies(who); !allowed.ok()) return allowed;
  if (!IsValidUid(study_uid)) return Status::NotFound("no such study");
  auto found = studies.FindStudy(study_uid);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::NotFound("no such study");
  if (!SeesStudiesOf(who, (*found)->facility.id)) return Status::NotFound("no such study");
  return std::move(**found);
}

}  // namespace telerad
