// The answer to a STOW-RS request (PS3.18 10.5.3, Table 10.5.3-1), as DICOM JSON
// (PS3.18 F.2): RetrieveURL of the study when the stored instances are of one study,
// ReferencedSOPSequence (ReferencedSOPClassUID, ReferencedSOPInstanceUID, RetrieveURL)
// for every instance stored or already held, FailedSOPSequence (the same UIDs, as far
// as they could be read, and FailureReason) for the others. HTTP status 200 when every
// instance was stored, 202 when some failed, 409 when none was stored.
#pragma once

#include <string>
#include <vector>

#include "api/reply.h"
#include "src/ingest/stow_service.h"

namespace telerad::api {

// `outcomes` in the order of the request's parts; URLs are relative to the origin
// (/dicomweb/studies/...), which a same-origin viewer resolves without knowing the
// host name a proxy answered under.
Reply StowResponse(const std::vector<StowInstanceOutcome>& outcomes);

// The WADO-RS URL of an instance, and of a study.
std::string InstanceUrl(const StowInstanceOutcome& outcome);
std::string StudyUrl(const std::string& study_uid);

}  // namespace telerad::api
