#include "dicom/bulk_data_path.h"

#include <algorithm>
#include <cctype>

namespace telerad::dicom {
namespace {

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string BulkDataBase(const std::string& study_uid, const std::string& series_uid,
                         const std::string& sop_instance_uid) {
  return "/dicomweb/studies/" + study_uid + "/series/" + series_uid + "/instances/" +
         sop_instance_uid + "/bulk/";
}

std::optional<std::vector<TagPathStep>> BulkDataTagPath(const std::string& path) {
  std::vector<TagPathStep> steps;
  size_t start = 0;
  for (;;) {
    if (path.size() < start + 8) return std::nullopt;
    const std::string hex = path.substr(start, 8);
    if (!std::all_of(hex.begin(), hex.end(), [](char c) { return std::isxdigit(c) != 0; }))
      return std::nullopt;
    const unsigned long v = std::stoul(hex, nullptr, 16);
    TagPathStep step{DcmTagKey(static_cast<Uint16>(v >> 16), static_cast<Uint16>(v & 0xFFFF)),
                     std::nullopt};
    start += 8;
    if (start == path.size()) {
      steps.push_back(step);
      return steps;
    }
    if (path[start] != '.') return std::nullopt;
    const size_t dot = path.find('.', start + 1);
    if (dot == std::string::npos) return std::nullopt;
    const std::string index = path.substr(start + 1, dot - start - 1);
    if (!AllDigits(index) || index.size() > 9) return std::nullopt;
    step.item = static_cast<uint32_t>(std::stoul(index));
    steps.push_back(step);
    start = dot + 1;
  }
}

}  // namespace telerad::dicom
