// Reads the value a BulkDataURI of our DICOM JSON names (dicom_json_writer.h: a tag, or
// "sequence.item.tag…" for a nested one) from a stored file, for WADO-RS bulkdata
// requests other than the top-level pixel data (which is served from its pixel layout).
// Thread-safe: every call parses its own copy of the file, values larger than 4 KiB
// staying on disk until the one asked for is read.
#pragma once

#include <string>

#include "src/base/status.h"

namespace telerad::dicom {

// The value's bytes, little endian for binary VRs. kNotFound: the path is malformed or
// names no attribute of the file; kNotAcceptable: the attribute is encapsulated pixel
// data (served as frames); kResourceExhausted: over `max_bytes`; kInternal: the file
// cannot be read. REQUIRES: the file passed the data set screen (dataset_screen.h).
Result<std::string> ReadBulkValue(const std::string& path, const std::string& tag_path,
                                  uint64_t max_bytes);

}  // namespace telerad::dicom
