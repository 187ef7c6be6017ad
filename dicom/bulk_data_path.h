// Bulk data URIs of DICOM JSON (dicom_json_writer.h): the base URI of an instance's
// bulk data, and the tag path after it parsed back into steps for the bulk data request.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctagkey.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace telerad::dicom {

// "/dicomweb/studies/{study}/series/{series}/instances/{instance}/bulk/".
std::string BulkDataBase(const std::string& study_uid, const std::string& series_uid,
                         const std::string& sop_instance_uid);

// One step of a bulk data tag path: a tag, and for a sequence the item index within it.
struct TagPathStep {
  DcmTagKey tag;
  std::optional<uint32_t> item;  // set on every step but the last
};

// "00880200.0.7FE00010" → its steps; nullopt if malformed.
std::optional<std::vector<TagPathStep>> BulkDataTagPath(const std::string& path);

}  // namespace telerad::dicom
