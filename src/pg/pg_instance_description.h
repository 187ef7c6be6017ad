// An instance's WADO-RS description rows (schema 0011 instance_metadata, 0012
// instance_pixel_layout): written in the index transaction at ingest, or later for an
// instance indexed before they were kept.
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "src/base/pixel_layout.h"

namespace telerad {

// Inserts the rows the instance lacks (an empty `dicom_json` or an unset `layout` writes
// none); rows already there are kept, so two first readers racing both succeed. Throws
// as libpqxx does; the caller's transaction then rolls back.
void InsertInstanceDescription(pqxx::transaction_base& txn, int64_t instance_id,
                               const std::string& dicom_json,
                               const std::optional<PixelLayout>& layout);

// The layout of an instance_pixel_layout row read with the columns, in order:
// encapsulated, number_of_frames, value_offset, frame_bytes, fragment_offsets,
// fragment_lengths, frame_first_fragment, starting at `first`. nullopt if the row's
// arrays do not agree (a row not written by InsertInstanceDescription).
std::optional<PixelLayout> PixelLayoutFromRow(const pqxx::row& row, int first);

}  // namespace telerad
