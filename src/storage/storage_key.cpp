#include "src/base/uid.h"
#include "src/storage/file_store.h"

namespace telerad {

Result<std::string> StorageKeyFor(const std::string& study_uid, const std::string& series_uid,
                                  const std::string& sop_instance_uid) {
  if (!IsValidUid(study_uid) || !IsValidUid(series_uid) || !IsValidUid(sop_instance_uid))
    return Status::InvalidArgument("storage key needs three valid UIDs");
  return study_uid + "/" + series_uid + "/" + sop_instance_uid + ".dcm";
}

}  // namespace telerad
