// StudyService: who may see which studies, and the worklist order. Both doors call it;
// the access rule lives here once (DESIGN.md, "The three users").
//
// Rules: radiologists and admins see every study; a facility user sees only its own
// facility's studies (another's is kNotFound, so existence does not leak); ministry
// users see no study at all (kPermissionDenied). Thread-safe.
#pragma once

#include <string>

#include "src/model.h"
#include "src/status.h"
#include "src/study_repository.h"

namespace telerad {

class StudyService {
 public:
  explicit StudyService(StudyRepository& studies);

  // The worklist (radiologists, admins: `ready` studies unless a status is asked for)
  // or a facility's inbox (its own studies, any status). kInvalidArgument for a bad
  // cursor or a limit outside 1..200.
  Result<StudyPage> List(const Principal& who, StudyQuery query);

  // One study with its series. kNotFound if absent or not visible to `who`.
  Result<Study> Get(const Principal& who, const std::string& study_uid);

 private:
  StudyRepository& studies_;
};

}  // namespace telerad
