// Screens a received DICOM Part 10 file before DCMTK parses it.
//
// DCMTK 3.6.7 parses sequences recursively with no limit on nesting (STACK.md): a data set
// nested a few ten thousand levels deep overflows the parsing thread's stack and kills
// the whole server. This screen walks the raw bytes with an explicit stack (never
// recursion), in the encoding the meta header names, and refuses a file that nests too
// deep, holds too many elements, or carries a length that lies (past the end of the file
// or of its enclosing item or sequence). Values are skipped by length, never loaded:
// pixel data, encapsulated fragments included, costs a seek.
//
// Transfer syntaxes: the meta header is explicit VR little endian (PS3.10 7.1); the data
// set is implicit VR LE, explicit VR LE (every compressed syntax), explicit VR big endian,
// or deflated explicit VR LE. A deflated data set is inflated on the fly into a 64 KiB
// window and screened as it streams, with a budget on the inflated size, so a deflate bomb
// costs bounded time and no memory. Undefined-length UN elements are read as implicit VR
// LE sequences (PS3.5 6.2.2, as DCMTK does).
//
// Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "src/base/status.h"

namespace telerad::dicom {

// The defaults are those of the configuration keys dicom_max_sequence_depth,
// dicom_max_elements and dicom_max_inflated_bytes.
struct ScreenLimits {
  // Sequences inside sequences. Real data rarely nests past 5 or 6 (structured reports
  // go deepest); DCMTK survives thousands, so 16 leaves room both ways.
  int max_depth = 16;
  // Elements, items and delimiters counted together. A CT slice has about 200; an RT
  // structure set with many contours tens of thousands.
  uint64_t max_elements = 1'000'000;
  // Bytes a deflated data set may inflate to.
  uint64_t max_inflated_bytes = uint64_t{1} << 30;
};

// OK if the file at `path` is a Part 10 file whose data set stays within `limits`.
// kMalformed, with a reason naming the structure (never a value), if it is not;
// kInternal if the file cannot be opened.
Status ScreenDataSetFile(const std::string& path, const ScreenLimits& limits = {});

// The same for a whole Part 10 file held in memory (unit tests, fuzzing).
Status ScreenDataSetBytes(std::string_view file, const ScreenLimits& limits = {});

}  // namespace telerad::dicom
