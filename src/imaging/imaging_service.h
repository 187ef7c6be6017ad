// ImagingService: WADO-RS metadata and frames of the studies a user may see (the rule of
// src/index/study_access.h: facility users only their own facility's, kNotFound for
// others; ministry kPermissionDenied). Metadata is the DICOM JSON kept at ingest,
// joined; an instance without it is described from its file once and kept. Frames are
// read with pread of exactly their bytes, as stored.
//
// Thread-safe (no state of its own).
#pragma once

#include <string>
#include <vector>

#include "src/base/model.h"
#include "src/base/status.h"
#include "src/imaging/instance_images.h"
#include "src/index/study_repository.h"
#include "src/storage/file_store.h"

namespace telerad {

struct StoredFrames {
  std::string transfer_syntax_uid;
  bool encapsulated = false;
  std::vector<std::string> frames;  // in the order asked for
};

class ImagingService {
 public:
  // REQUIRES: all outlive this service.
  ImagingService(StudyRepository& studies, InstanceImages& images, FileStore& files,
                 InstanceDescriber& describer);

  // The DICOM JSON array of the instances in `scope` (PS3.18 10.4.1.2 metadata).
  // kNotFound: the study is not visible, or the scope holds no instance.
  Result<std::string> Metadata(const Principal& who, const ImageScope& scope);

  // Frames `numbers` (1-based, as asked, repeats allowed) of one instance.
  // kNotFound: no such visible instance, a frame number past its last frame, or an
  // instance without frames that can be located (no pixel data, a deflated data set,
  // fragments without an offset table).
  Result<StoredFrames> Frames(const Principal& who, const ImageScope& instance,
                              const std::vector<int>& numbers);

 private:
  // Describes `image` from its file and keeps the result in it and in the index.
  Status Describe(InstanceImage& image);

  StudyRepository& studies_;
  InstanceImages& images_;
  FileStore& files_;
  InstanceDescriber& describer_;
};

}  // namespace telerad
