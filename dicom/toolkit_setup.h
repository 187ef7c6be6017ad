// Process-wide DCMTK set-up, done once by main before any DICOM thread starts.
#pragma once

#include <string>

#include "src/base/status.h"

namespace telerad::dicom {

// Sets DCMTK's own log level from telerad's (`debug`/`trace` show DCMTK's protocol
// chatter; otherwise errors only, since its warnings about a data set can quote
// values) and checks that the data dictionary is loaded (kInternal if not: DCMTK then
// cannot name a single tag).
Status SetUpDcmtk(const std::string& log_level);

}  // namespace telerad::dicom
