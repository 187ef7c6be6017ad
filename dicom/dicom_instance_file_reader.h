// DicomInstanceFileReader: InstanceFileReader (src/ingest) on the DICOM door's own
// ScreenDataSetFile and ReadInstanceHeader, for STOW-RS, and DescribeInstance, for
// re-indexing landed files (src/ingest/landing_settler.h). Thread-safe (no shared state
// besides the constant class list).
#pragma once

#include <set>
#include <string>

#include "dicom/dataset_screen.h"
#include "src/config/config.h"
#include "src/ingest/instance_file_reader.h"

namespace telerad::dicom {

// The screen's limits from the configuration (dicom_max_sequence_depth,
// dicom_max_elements, dicom_max_inflated_bytes), for both doors.
ScreenLimits ScreenLimitsOf(const Config& config);

class DicomInstanceFileReader : public InstanceFileReader {
 public:
  // The same limits and SOP classes the DICOM port applies (dicom_max_*,
  // dicom_extra_sop_classes).
  explicit DicomInstanceFileReader(const Config& config);

  Result<InstanceHeader> Read(const std::string& path) const override;
  Result<InstanceHeader> Describe(const std::string& path) const override;
  bool AcceptsSopClass(const std::string& sop_class_uid) const override;

 private:
  const ScreenLimits limits_;
  const std::set<std::string> sop_classes_;
};

}  // namespace telerad::dicom
