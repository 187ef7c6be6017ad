#include "src/base/pixel_layout.h"

namespace telerad {

std::optional<std::vector<FileSlice>> PixelLayout::FrameSlices(int frame) const {
  if (frame < 1 || frame > number_of_frames) return std::nullopt;
  const size_t k = static_cast<size_t>(frame - 1);
  if (!encapsulated) {
    if (frame_bytes == 0) return std::nullopt;
    return std::vector<FileSlice>{{value_offset + k * frame_bytes, frame_bytes}};
  }
  if (frame_first_fragment.size() != static_cast<size_t>(number_of_frames)) return std::nullopt;
  const size_t first = frame_first_fragment[k];
  const size_t end =
      k + 1 < frame_first_fragment.size() ? frame_first_fragment[k + 1] : fragments.size();
  if (first >= end || end > fragments.size()) return std::nullopt;
  return std::vector<FileSlice>(fragments.begin() + static_cast<std::ptrdiff_t>(first),
                                fragments.begin() + static_cast<std::ptrdiff_t>(end));
}

}  // namespace telerad
