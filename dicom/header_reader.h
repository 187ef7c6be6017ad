// Reads the header of a received DICOM file into an InstanceHeader, in UTF-8.
//
// The whole element structure is parsed, so a truncated file is detected, but values
// longer than 4 KiB (pixel data) are never loaded or decoded. Text is converted from the
// file's Specific Character Set to UTF-8 with DCMTK (glibc iconv). If the declared set
// does not fit the bytes (mislabelled files are common), a value that is valid UTF-8 is
// kept and anything else has its invalid bytes replaced by U+FFFD: a bad name never
// costs the instance. Thread-safe (no shared state).
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <string>

#include "src/base/model.h"
#include "src/base/status.h"

namespace telerad::dicom {

struct HeaderReadResult {
  InstanceHeader header;
  bool charset_fallback = false;  // the declared character set could not be applied
};

// kInvalidArgument if the file is not parseable DICOM (truncated, garbage).
// REQUIRES: the file passed ScreenDataSetFile (dataset_screen.h): DCMTK recurses once per
// sequence level and would overflow the calling thread's stack on a hostile file.
Result<HeaderReadResult> ReadInstanceHeader(const std::string& path);

// The two halves of the above, for a caller that goes on with the parsed file
// (instance_describer.h). LoadHeader parses the file with values over 4 KiB left on disk;
// ReadInstanceHeader(file) reads the header and converts the data set's text to UTF-8 in
// place (DcmItem::convertToUTF8, which also sets Specific Character Set to ISO_IR 192).
Status LoadHeader(const std::string& path, DcmFileFormat& file);
Result<HeaderReadResult> ReadInstanceHeader(DcmFileFormat& file);

// Length in bytes of a Part 10 file's preamble, magic and File Meta Information group,
// i.e. where its data set starts. kInvalidArgument if the file does not start that way.
Result<uint64_t> DataSetOffset(const std::string& path);

// `text` if it is valid UTF-8 without NUL, else with each invalid byte and each NUL
// replaced by U+FFFD.
std::string SanitizeUtf8(const std::string& text);

}  // namespace telerad::dicom
