// Where each frame of an instance's pixel data lies in its stored file, so that WADO-RS
// frames are answered with a pread of exactly those bytes, without parsing the file.
// Offsets are of the Part 10 file as the FileStore keeps it: byte for byte as received,
// preamble and File Meta Information included.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace telerad {

// One byte range of the stored file.
struct FileSlice {
  uint64_t offset = 0;
  uint64_t length = 0;
  bool operator==(const FileSlice& o) const { return offset == o.offset && length == o.length; }
};

struct PixelLayout {
  // Native (uncompressed) pixel data: frame k (1-based) is the `frame_bytes` bytes at
  // value_offset + (k - 1) * frame_bytes. Encapsulated: `fragments` holds each
  // fragment's value (the Basic Offset Table item excluded), and frame k is made of
  // fragments frame_first_fragment[k-1] up to (not including) frame_first_fragment[k],
  // or the last fragment for the last frame.
  bool encapsulated = false;
  int number_of_frames = 1;
  uint64_t value_offset = 0;
  uint64_t frame_bytes = 0;
  std::vector<FileSlice> fragments;
  std::vector<uint32_t> frame_first_fragment;

  // The slices holding frame `frame` (1-based), in order; nullopt when there is no such
  // frame or the layout does not say where it lies.
  std::optional<std::vector<FileSlice>> FrameSlices(int frame) const;
};

}  // namespace telerad
