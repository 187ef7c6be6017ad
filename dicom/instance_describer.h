// Describes a received or stored instance once, from one parse of its file: the header
// the index needs (header_reader.h), its DICOM JSON for WADO-RS metadata
// (dicom_json_writer.h) and where its frames lie (pixel_layout_reader.h). Used at ingest,
// and for an instance indexed before metadata was kept, on its first read.
//
// REQUIRES: the file passed ScreenDataSetFile (dataset_screen.h). Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "dicom/header_reader.h"

namespace telerad::dicom {

struct InstanceDescription {
  HeaderReadResult read;  // read.header.dicom_json and .pixel_layout filled
  // Top-level attributes left out of the JSON to keep it within its bound, as "GGGGEEEE".
  std::vector<std::string> left_out;
};

// Largest DICOM JSON kept for one instance; a CT slice needs about 10 KiB.
constexpr size_t kMaxDicomJsonBytes = size_t{4} << 20;

// kInvalidArgument if the file is not parseable DICOM; kMalformed if its pixel data is
// cut short; kInternal if it cannot be read.
Result<InstanceDescription> DescribeInstance(const std::string& path,
                                             size_t max_json_bytes = kMaxDicomJsonBytes);

}  // namespace telerad::dicom
