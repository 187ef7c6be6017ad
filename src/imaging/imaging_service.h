// ImagingService: WADO-RS metadata and frames of the studies a user may see (the rule of
// src/index/study_access.h: facility users only their own facility's, kNotFound for
// others; ministry kPermissionDenied). Metadata is the DICOM JSON kept at ingest,
// joined; an instance without it is described from its file once and kept. Frames are
// read with pread of exactly their bytes, as stored.
//
// Thread-safe (no state of its own).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "src/base/model.h"
#include "src/base/status.h"
#include "src/imaging/image_codec.h"
#include "src/imaging/instance_images.h"
#include "src/index/study_repository.h"
#include "src/storage/file_store.h"

namespace telerad {

// Frames in the order asked for: their bytes in memory (decoded ones, or read by
// Frames), or where they lie in the stored file (AcceptableFrames and PixelData when
// they go out as stored), so the HTTP door sends them with sendfile and a request for
// 2,000 frames is never read into memory.
struct StoredFrames {
  std::string transfer_syntax_uid;
  bool encapsulated = false;
  std::vector<std::string> frames;
  std::string path;                            // the stored file, when `slices` is used
  std::vector<std::vector<FileSlice>> slices;  // per frame: its bytes (fragments) in order

  bool in_file() const { return !slices.empty(); }
};

// What a frames request accepts (PS3.18 8.7.3.5): whether the stored transfer syntax
// will do (the caller's Accept decides, given the instance's syntax and whether its
// pixels are encapsulated), and whether native pixels (Explicit VR Little Endian) will.
struct FrameAcceptance {
  std::function<bool(const std::string& stored_syntax, bool encapsulated)> stored;
  bool native = true;
};

// A stored instance file as WADO-RS retrieve sends it (PS3.18 10.4.1.1.1): the file
// exactly as stored (our File Meta, then the data set as received).
struct InstanceFile {
  std::string series_uid;
  std::string sop_instance_uid;
  std::string transfer_syntax_uid;
  std::string path;
};

class ImagingService {
 public:
  // REQUIRES: all outlive this service.
  ImagingService(StudyRepository& studies, InstanceImages& images, FileStore& files,
                 InstanceDescriber& describer, ImageCodec& codec);

  // The DICOM JSON array of the instances in `scope` (PS3.18 10.4.1.2 metadata).
  // kNotFound: the study is not visible, or the scope holds no instance.
  Result<std::string> Metadata(const Principal& who, const ImageScope& scope);

  // Frames `numbers` (1-based, as asked, repeats allowed) of one instance.
  // kNotFound: no such visible instance, a frame number past its last frame, or an
  // instance without frames that can be located (no pixel data, a deflated data set,
  // fragments without an offset table).
  Result<StoredFrames> Frames(const Principal& who, const ImageScope& instance,
                              const std::vector<int>& numbers);

  // Every frame of an instance as stored, in order: its pixel data's value (WADO-RS
  // bulkdata of 7FE00010), located in its file. Errors as Frames.
  Result<StoredFrames> PixelData(const Principal& who, const ImageScope& instance);

  // Any other BulkDataURI of the instance's metadata (`tag_path` as after ".../bulk/"),
  // read from its file. Errors as InstanceDescriber::BulkValue, and kNotFound when the
  // instance is not visible.
  Result<std::string> BulkValue(const Principal& who, const ImageScope& instance,
                                const std::string& tag_path);

  // Frames as the caller accepts them: as stored when `accept.stored` says so, else
  // decoded to native pixels (Explicit VR Little Endian) when `accept.native`; a native
  // instance's bytes are native already and only relabelled; bytes as stored are
  // located in the file, decoded ones in memory. kNotAcceptable when
  // neither will do, or the stored syntax cannot be decoded here (JPEG 2000). Other
  // errors as Frames.
  Result<StoredFrames> AcceptableFrames(const Principal& who, const ImageScope& instance,
                                        const std::vector<int>& numbers,
                                        const FrameAcceptance& accept);

  // The files of the instances in `scope` (WADO-RS retrieve), in the order of Metadata;
  // the caller streams them. kNotFound as Metadata.
  Result<std::vector<InstanceFile>> InstanceFiles(const Principal& who, const ImageScope& scope);

  // One frame rendered (WADO-RS `rendered` and `thumbnail`, PS3.18 10.4.1.1.3): of the
  // instance in `scope` (`frame` 1-based, default 1), or for a series the middle
  // instance, for a study the middle instance of its first series with pixels. Errors:
  // kNotFound (not visible, no such instance or frame, no pixel data), kNotAcceptable
  // (a syntax that cannot be decoded here).
  Result<RenderedImage> Render(const Principal& who, const ImageScope& scope,
                               std::optional<int> frame, const RenderRequest& request);

 private:
  // Describes `image` from its file and keeps the result in it and in the index.
  Status Describe(InstanceImage& image);
  // The one instance `instance` names, if its study is visible to `who` (kNotFound
  // otherwise, kPermissionDenied for roles that see no images).
  Result<InstanceImage> VisibleInstance(const Principal& who, const ImageScope& instance);
  // The visible instance of `instance` with its pixel layout (described first if it
  // was indexed before layouts were kept). kNotFound as Frames.
  Result<InstanceImage> FrameSource(const Principal& who, const ImageScope& instance);
  static Status CheckFrameNumbers(const InstanceImage& image, const std::vector<int>& numbers);
  // Frames `numbers` of `image` exactly as stored: where they lie in its file.
  Result<StoredFrames> LocateStored(const InstanceImage& image, const std::vector<int>& numbers);
  // The same, read into memory.
  Result<StoredFrames> ReadStored(const InstanceImage& image, const std::vector<int>& numbers);

  StudyRepository& studies_;
  InstanceImages& images_;
  FileStore& files_;
  InstanceDescriber& describer_;
  ImageCodec& codec_;
};

}  // namespace telerad
