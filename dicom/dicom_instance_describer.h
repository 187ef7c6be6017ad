// The imaging room's InstanceDescriber (src/imaging/instance_images.h) with DCMTK: the
// same description ingest writes (instance_describer.h), for an instance indexed before
// descriptions were kept. Thread-safe.
#pragma once

#include "src/imaging/instance_images.h"

namespace telerad::dicom {

class DicomInstanceDescriber : public InstanceDescriber {
 public:
  // The file is screened first (dataset_screen.h) with the limits it was received under:
  // DCMTK would recurse once per nesting level of a hostile file.
  DicomInstanceDescriber(int max_sequence_depth, uint64_t max_elements);
  Result<ImageDescription> Describe(const std::string& path) override;
  Result<std::string> BulkValue(const std::string& path, const std::string& tag_path) override;

 private:
  // The data set screen with the limits it was received under: DCMTK would recurse once
  // per nesting level of a hostile file.
  Status Screen(const std::string& path) const;

  int max_sequence_depth_;
  uint64_t max_elements_;
};

}  // namespace telerad::dicom
