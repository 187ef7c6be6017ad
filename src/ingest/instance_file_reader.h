// InstanceFileReader: what a door that receives whole DICOM files (STOW-RS over HTTP)
// needs from the DICOM door's parsing, which it may not include (DCMTK lives in dicom/
// only). Implemented by dicom/dicom_instance_file_reader.h on the same screening and
// header reading C-STORE uses, so both doors refuse exactly the same data sets; wired in
// src/app/server.cpp. Thread-safe.
#pragma once

#include <string>

#include "src/base/model.h"
#include "src/base/status.h"

namespace telerad {

class InstanceFileReader {
 public:
  virtual ~InstanceFileReader() = default;
  // The header of the Part 10 file at `path`, in UTF-8, after the hostile-data-set
  // screen (nesting depth, element count, lying lengths, deflate budget). kMalformed or
  // kInvalidArgument when it is not a DICOM file that can be read (C-STORE answers
  // 0xC000); kInternal when it cannot be opened.
  virtual Result<InstanceHeader> Read(const std::string& path) const = 0;
  // As Read, plus what C-STORE indexes with the instance (its DICOM JSON metadata and
  // frame layout): for re-indexing a landed file exactly as live ingest indexed it.
  virtual Result<InstanceHeader> Describe(const std::string& path) const = 0;
  // Whether `sop_class_uid` is a storage SOP class the server accepts (the DICOM
  // door's list plus dicom_extra_sop_classes).
  virtual bool AcceptsSopClass(const std::string& sop_class_uid) const = 0;
};

}  // namespace telerad
