// What WADO-RS metadata and frames read of the instances of a study: where each file is,
// its transfer syntax, its DICOM JSON and its pixel layout, as kept at ingest (schema
// 0011, 0012). Implementations: PgInstanceImages (PostgreSQL). Thread-safe; every method
// may fail with kUnavailable when the database is down.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/base/pixel_layout.h"
#include "src/base/status.h"

namespace telerad {

// A study, one of its series, or one instance of that series.
struct ImageScope {
  std::string study_uid;
  std::optional<std::string> series_uid;
  std::optional<std::string> sop_instance_uid;  // REQUIRES: series_uid set
};

struct InstanceImage {
  int64_t instance_id = 0;
  std::string series_uid;
  std::string sop_instance_uid;
  std::string transfer_syntax_uid;
  std::string storage_key;
  // Unset: the instance was indexed before metadata was kept, so it is described from
  // its file on first read (ImagingService).
  std::optional<std::string> dicom_json;
  std::optional<PixelLayout> layout;
  // Described already (its metadata row exists): no layout then means no frames.
  bool described = false;
};

// What an instance's file says, to keep for it: the same as ingest writes.
struct ImageDescription {
  std::string dicom_json;
  std::optional<PixelLayout> layout;  // unset: no frames can be located
};

// One instance found with its study's id and facility (who may see it).
struct LocatedImage {
  int64_t study_id = 0;
  int64_t facility_id = 0;
  InstanceImage image;
};

class InstanceImages {
 public:
  virtual ~InstanceImages() = default;

  // The instances of `scope` in study `study_id`, by series number, then instance
  // number, then SOP Instance UID; empty when there are none. `with_metadata` false
  // leaves dicom_json unset for every instance (frames need the layout only).
  virtual Result<std::vector<InstanceImage>> Find(int64_t study_id, const ImageScope& scope,
                                                  bool with_metadata) = 0;

  // The instance `scope` names (all three UIDs set) with its study, in one lookup by SOP
  // Instance UID: what every frame and bulk data request asks, so it is one indexed
  // query, not the study's row and then its instances. Unset: that series of that study
  // has no such instance. dicom_json is left unset.
  virtual Result<std::optional<LocatedImage>> FindInstance(const ImageScope& scope) = 0;

  // Keeps an instance's description, unless one was kept meanwhile (two first readers).
  virtual Status SaveDescription(int64_t instance_id, const ImageDescription& description) = 0;
};

// Describes an instance from its stored file (implemented by the DICOM door, which owns
// the parser). kInvalidArgument / kMalformed for a file that is not readable DICOM.
class InstanceDescriber {
 public:
  virtual ~InstanceDescriber() = default;
  virtual Result<ImageDescription> Describe(const std::string& path) = 0;

  // The value a BulkDataURI of the kept metadata names (its path after ".../bulk/", e.g.
  // "00880200.0.7FE00010"), little endian. kNotFound when the file has no such
  // attribute, kNotAcceptable for encapsulated pixel data (served as frames).
  virtual Result<std::string> BulkValue(const std::string& path, const std::string& tag_path) = 0;
};

}  // namespace telerad
