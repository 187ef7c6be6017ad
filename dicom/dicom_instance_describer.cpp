#include "dicom/dicom_instance_describer.h"

#include "dicom/dataset_screen.h"
#include "dicom/instance_describer.h"

namespace telerad::dicom {

DicomInstanceDescriber::DicomInstanceDescriber(int max_sequence_depth, uint64_t max_elements)
    : max_sequence_depth_(max_sequence_depth), max_elements_(max_elements) {}

Result<ImageDescription> DicomInstanceDescriber::Describe(const std::string& path) {
  ScreenLimits limits;
  limits.max_depth = max_sequence_depth_;
  limits.max_elements = max_elements_;
  if (Status screened = ScreenDataSetFile(path, limits); !screened.ok()) return screened;
  auto described = DescribeInstance(path);
  if (!described.ok()) return described.status();
  InstanceHeader& h = described->read.header;
  return ImageDescription{std::move(h.dicom_json), std::move(h.pixel_layout)};
}

}  // namespace telerad::dicom
