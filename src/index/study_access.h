// Who may see a study: the one rule both StudyService and ReportService apply.
//
// Radiologists and admins see every study; a facility user only its own facility's
// (another's answers kNotFound, so existence does not leak); ministry users none
// (kPermissionDenied: they see aggregates only).
#pragma once

#include <cstdint>
#include <string>

#include "src/base/model.h"
#include "src/base/status.h"
#include "src/index/study_repository.h"

namespace telerad {

// The study if `who` may see it. kNotFound for an unknown or malformed UID too.
Result<Study> VisibleStudy(StudyRepository& studies, const Principal& who,
                           const std::string& study_uid);

// The two halves of that rule, for a caller that finds the study's facility in its own
// lookup (ImagingService: one query per frame). kPermissionDenied for a role that reads
// no study.
Status MayReadStudies(const Principal& who);
// Whether `who`, allowed by MayReadStudies, sees the studies of facility `facility_id`.
bool SeesStudiesOf(const Principal& who, int64_t facility_id);

}  // namespace telerad
