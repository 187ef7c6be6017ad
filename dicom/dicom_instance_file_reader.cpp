#include "dicom/dicom_instance_file_reader.h"

#include "dicom/header_reader.h"
#include "dicom/instance_describer.h"
#include "dicom/sop_classes.h"
#include "src/base/logging.h"

namespace telerad::dicom {
ScreenLimits ScreenLimitsOf(const Config& config) {
  ScreenLimits limits;
  limits.max_depth = config.dicom_max_sequence_depth;
  limits.max_elements = static_cast<uint64_t>(config.dicom_max_elements);
  limits.max_inflated_bytes = static_cast<uint64_t>(config.dicom_max_inflated_bytes);
  return limits;
}

DicomInstanceFileReader::DicomInstanceFileReader(const Config& config)
    : limits_(ScreenLimitsOf(config)),
      sop_classes_(AcceptedStorageSopClasses(config.dicom_extra_sop_classes)) {}

Result<InstanceHeader> DicomInstanceFileReader::Read(const std::string& path) const {
  // Before DCMTK parses it, as for C-STORE (storage_scp.cpp): DCMTK 3.6.7 recurses once
  // per nesting level and a hostile data set would take the thread's stack.
  if (Status screened = ScreenDataSetFile(path, limits_); !screened.ok()) return screened;
  auto read = ReadInstanceHeader(path);
  if (!read.ok()) return read.status();
  if (read->charset_fallback) DicomLog().warn("event=charset_fallback source=stow");
  return std::move(read->header);
}

Result<InstanceHeader> DicomInstanceFileReader::Describe(const std::string& path) const {
  if (Status screened = ScreenDataSetFile(path, limits_); !screened.ok()) return screened;
  auto described = DescribeInstance(path);  // as storage_scp.cpp: one parse for all
  if (!described.ok()) return described.status();
  return std::move(described->read.header);
}

bool DicomInstanceFileReader::AcceptsSopClass(const std::string& sop_class_uid) const {
  return sop_classes_.count(sop_class_uid) > 0;
}

}  // namespace telerad::dicom
