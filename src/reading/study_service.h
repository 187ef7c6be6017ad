// StudyService: who may see which studies, and the worklist order. Both doors call it;
// the access rule lives here once (DESIGN.md, "The three users").
//
// Rules: radiologists and admins see every study; a facility user sees only its own
// facility's studies (another's is kNotFound, so existence does not leak); ministry
// users see no study at all (kPermissionDenied). Thread-safe.
#pragma once

#include <string>

#include "src/base/model.h"
#include "src/base/status.h"
#include "src/index/study_repository.h"

namespace telerad {

struct ClaimResult {
  std::string study_uid;
  std::string claimed_by;
  TimePoint expires_at;
};

class StudyService {
 public:
  // `claim_lease`: how long a claim lasts unless renewed (config claim_lease); `sla`:
  // the deadlines a priority change applies.
  StudyService(StudyRepository& studies, std::chrono::seconds claim_lease, SlaTargets sla = {});

  // The worklist (radiologists, admins: `ready` studies unless a status is asked for)
  // or a facility's inbox (its own studies, any status). kInvalidArgument for a bad
  // cursor or a limit outside 1..200.
  Result<StudyPage> List(const Principal& who, StudyQuery query);

  // One study with its series. kNotFound if absent or not visible to `who`.
  Result<Study> Get(const Principal& who, const std::string& study_uid);

  // Radiologists take a study to read: a lease of claim_lease, renewed by claiming
  // again. kPermissionDenied for other roles, kNotFound for an unknown study,
  // kConflict naming the holder when another radiologist's lease runs, or when the
  // study is not ready (still receiving, reported, cancelled).
  //
  // Claim, UpdateOrder and Release take the change's `audit` entry: the repository
  // appends it in the change's own transaction and sets its id (StudyRepository).
  Result<ClaimResult> Claim(const Principal& who, const std::string& study_uid, AuditEntry& audit);

  // The sending facility (its own studies) or an admin sets the priority and/or clinical
  // information (at most 4 KiB, no control characters but line breaks) of a study not
  // yet reported. kPermissionDenied for other roles, kNotFound when not visible,
  // kConflict once reported or cancelled, kUnprocessable for bad text.
  Result<Study> UpdateOrder(const Principal& who, const std::string& study_uid,
                            std::optional<Priority> priority,
                            std::optional<std::string> clinical_info, AuditEntry& audit);

  // Gives a claimed study back to the worklist. kConflict if `who` does not hold it.
  Status Release(const Principal& who, const std::string& study_uid, AuditEntry& audit);

 private:
  StudyRepository& studies_;
  const std::chrono::seconds claim_lease_;
  const SlaTargets sla_;
};

}  // namespace telerad
