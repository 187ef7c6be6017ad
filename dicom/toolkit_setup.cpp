#include "dicom/toolkit_setup.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/oflog/oflog.h>

namespace telerad::dicom {

Status SetUpDcmtk(const std::string& log_level) {
  OFLog::configure(log_level == "debug" || log_level == "trace" ? OFLogger::DEBUG_LOG_LEVEL
                                                                : OFLogger::ERROR_LOG_LEVEL);
  if (!dcmDataDict.isDictionaryLoaded())
    return Status::Internal(
        "DICOM data dictionary not loaded: install libdcmtk17 or set DCMDICTPATH");
  return Status::Ok();
}

}  // namespace telerad::dicom
