#include "src/reading/study_service.h"

#include "src/base/uid.h"
#include "src/index/study_access.h"

namespace telerad {
namespace {

// A facility learns of its report once it is signed (ReportService): a draft is not
// announced in its inbox either.
void HideDraftFromFacility(const Principal& who, Study& s) {
  if (who.role == Role::kFacility && s.report_status == ReportStatus::kDraft)
    s.report_status.reset();
}

}  // namespace

StudyService::StudyService(StudyRepository& studies, std::chrono::seconds claim_lease,
                           SlaTargets sla)
    : studies_(studies), claim_lease_(claim_lease), sla_(sla) {}

Result<StudyPage> StudyService::List(const Principal& who, StudyQuery query) {
  if (query.limit < 1 || query.limit > 200)
    return Status::InvalidArgument("limit must be between 1 and 200");
  switch (who.role) {
    case Role::kMinistry:
      return Status::PermissionDenied("ministry accounts see aggregates only");
    case Role::kSpecialist:
      return Status::PermissionDenied("specialists work on e-examinations, not the image worklist");
    case Role::kFacility:
      if (!who.facility_id) return Status::PermissionDenied("facility account without facility");
      query.facility_id = who.facility_id;
      break;
    case Role::kRadiologist:
    case Role::kAdmin:
      if (!query.status) query.status = StudyStatus::kReady;
      break;
  }
  auto page = studies_.ListStudies(query);
  if (page.ok())
    for (Study& s : page->items) HideDraftFromFacility(who, s);
  return page;
}

Result<Study> StudyService::Get(const Principal& who, const std::string& study_uid) {
  auto study = VisibleStudy(studies_, who, study_uid);
  if (study.ok()) HideDraftFromFacility(who, *study);
  return study;
}

Result<Study> StudyService::UpdateOrder(const Principal& who, const std::string& study_uid,
                                        std::optional<Priority> priority,
                                        std::optional<std::string> clinical_info,
                                        AuditEntry& audit) {
  if (who.role != Role::kFacility && who.role != Role::kAdmin)
    return Status::PermissionDenied(
        "only the sending facility or an admin changes a study's order");
  if (clinical_info) {
    if (clinical_info->size() > 4096)
      return Status::Unprocessable("'clinical_info' is limited to 4 KiB");
    for (unsigned char c : *clinical_info)
      if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f)
        return Status::Unprocessable("'clinical_info' must not contain control characters");
  }
  auto visible = VisibleStudy(studies_, who, study_uid);
  if (!visible.ok()) return visible.status();
  auto updated = studies_.UpdateOrder(study_uid, priority, clinical_info, sla_, audit);
  if (!updated.ok()) return updated.status();
  if (!*updated)
    return Status::Conflict(std::string("the study is ") + ToString(visible->status) +
                            ": its order can no longer change");
  return VisibleStudy(studies_, who, study_uid);
}

}  // namespace telerad

namespace telerad {

Result<ClaimResult> StudyService::Claim(const Principal& who, const std::string& study_uid,
                                        AuditEntry& audit) {
  if (who.role != Role::kRadiologist)
    return Status::PermissionDenied("only radiologists claim studies");
  if (!IsValidUid(study_uid)) return Status::NotFound("no such study");
  auto outcome = studies_.Claim(study_uid, who.user_id, claim_lease_, audit);
  if (!outcome.ok()) return outcome.status();
  if (!outcome->found) return Status::NotFound("no such study");
  if (!outcome->claimed) {
    if (outcome->status == StudyStatus::kClaimed && outcome->holder)
      return Status::Conflict("study is claimed by " + *outcome->holder);
    return Status::Conflict(std::string("study is ") + ToString(outcome->status) + ", not ready");
  }
  return ClaimResult{study_uid, who.username, outcome->expires_at.value_or(TimePoint{})};
}

Status StudyService::Release(const Principal& who, const std::string& study_uid,
                             AuditEntry& audit) {
  if (who.role != Role::kRadiologist)
    return Status::PermissionDenied("only radiologists release studies");
  if (!IsValidUid(study_uid)) return Status::NotFound("no such study");
  auto released = studies_.Release(study_uid, who.user_id, audit);
  if (!released.ok()) return released.status();
  if (*released) return Status::Ok();
  auto found = studies_.FindStudy(study_uid);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::NotFound("no such study");
  return Status::Conflict("you hold no claim on this study");
}

}  // namespace telerad
