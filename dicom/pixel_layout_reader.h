// Finds where each frame of a stored Part 10 file's pixel data lies (src/base/pixel_layout.h)
// by walking the file's bytes: values are skipped by their length, never loaded, so a
// 2 GiB multi-frame costs a few seeks.
//
// Native pixel data (7FE0,0010; float 7FE0,0008 and double 7FE0,0009 too): the value's
// offset and rows × columns × samples × bits allocated / 8 bytes per frame.
// Encapsulated (PS3.5 A.4): every fragment's offset and length, and which fragments make
// each frame, decided in this order:
//   1. the Extended Offset Table (7FE0,0001), when present with one offset per frame;
//   2. the Basic Offset Table (the first item), when it holds one offset per frame;
//   3. one fragment per frame, when there are as many fragments as frames;
//   4. all fragments make frame 1, for a single-frame image.
// Otherwise (an offset that is no fragment's start, a multi-frame image with more
// fragments than frames and no table) the frames cannot be located: nullopt.
//
// Also nullopt: no pixel data at the top level of the data set, a deflated data set
// (no byte of it is where it is in the file), native pixel data too short for its frames.
//
// REQUIRES: the file passed ScreenDataSetFile (dataset_screen.h), so its lengths do not
// lie. Thread-safe (no shared state).
#pragma once

#include <optional>
#include <string>

#include "src/base/pixel_layout.h"
#include "src/base/status.h"

namespace telerad::dicom {

// From the data set's attributes (PS3.3 C.7.6.3); number_of_frames 1 when absent.
struct FrameGeometry {
  int rows = 0;
  int columns = 0;
  int samples_per_pixel = 1;
  int bits_allocated = 0;
  int number_of_frames = 1;
};

// kInternal if the file cannot be read; kMalformed if it ends inside an element.
Result<std::optional<PixelLayout>> ReadPixelLayout(const std::string& path,
                                                   const std::string& transfer_syntax_uid,
                                                   const FrameGeometry& geometry);

}  // namespace telerad::dicom
