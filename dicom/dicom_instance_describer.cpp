#include "dicom/dicom_instance_describer.h"

#include "dicom/bulk_data_reader.h"
#include "dicom/dataset_screen.h"
#include "dicom/instance_describer.h"

namespace telerad::dicom {

DicomInstanceDescriber::DicomInstanceDescriber(int max_sequence_depth, uint64_t max_elements)
    : max_sequence_depth_(max_sequence_depth), max_elements_(max_elements) {}

namespace {
// A bulk value is read into memory to be sent: larger ones (never seen outside pixel
// data, which is served from its layout) are refused rather than risk the heap.
constexpr uint64_t kMaxBulkValueBytes = uint64_t{256} << 20;
}  // namespace

Status DicomInstanceDescriber::Screen(const std::string& path) const {
  ScreenLimits limits;
  limits.max_depth = max_sequence_depth_;
  limits.max_elements = max_elements_;
  return ScreenDataSetFile(path, limits);
}

Result<std::string> DicomInstanceDescriber::BulkValue(const std::string& path,
                                                      const std::string& tag_path) {
  if (Status screened = Screen(path); !screened.ok()) return screened;
  return ReadBulkValue(path, tag_path, kMaxBulkValueBytes);
}

Result<ImageDescription> DicomInstanceDescriber::Describe(const std::string& path) {
  if (Status screened = Screen(path); !screened.ok()) return screened;
  auto described = DescribeInstance(path);
  if (!described.ok()) return described.status();
  InstanceHeader& h = described->read.header;
  return ImageDescription{std::move(h.dicom_json), std::move(h.pixel_layout)};
}

}  // namespace telerad::dicom
