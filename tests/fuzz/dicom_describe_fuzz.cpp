// Fuzzes what ingest derives from a received file for DICOMweb (dicom/instance_describer.h):
// the DICOM JSON writer and the pixel layout walker, after the screen that guards them as
// it guards ingest. Each input is written to one temporary file of this process.
#include <dcmtk/oflog/oflog.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "dicom/dataset_screen.h"
#include "dicom/header_reader.h"
#include "dicom/instance_describer.h"

namespace {

std::string TempPath() {
  const char* dir = std::getenv("TMPDIR");
  std::string base = dir && *dir ? dir : (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
  return base + "/telerad-describe-fuzz-" + std::to_string(getpid()) + ".dcm";
}

// Small, so that the bound is reached often.
constexpr size_t kMaxJson = 64 * 1024;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = TempPath();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  if (!telerad::dicom::ScreenDataSetFile(path).ok()) return 0;
  auto described = telerad::dicom::DescribeInstance(path, kMaxJson);
  if (!described.ok()) return 0;
  const telerad::InstanceHeader& h = described->read.header;
  // The JSON goes into a PostgreSQL text column and to browsers: bounded, valid UTF-8
  // without NUL, one object.
  const std::string& json = h.dicom_json;
  if (json.size() > kMaxJson || json.find('\0') != std::string::npos ||
      telerad::dicom::SanitizeUtf8(json) != json || json.front() != '{' || json.back() != '}')
    std::abort();
  // Every frame the layout names lies inside the file: WADO-RS reads it without checks.
  if (h.pixel_layout) {
    for (int k = 1; k <= h.pixel_layout->number_of_frames; ++k) {
      auto slices = h.pixel_layout->FrameSlices(k);
      if (!slices) continue;
      for (const telerad::FileSlice& s : *slices)
        if (s.offset > size || s.length > size - s.offset) std::abort();
    }
  }
  return 0;
}
