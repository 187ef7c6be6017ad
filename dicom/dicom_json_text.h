// The text formatters of the DICOM JSON writer (dicom_json_writer.h), on plain strings
// (no toolkit type): JSON strings from a value's UTF-8 text, IS and DS values as JSON numbers, and
// PN values as their component groups (PS3.18 F.2).
#pragma once

#include <optional>
#include <string>

namespace telerad::dicom {

// Appends `raw` as a JSON string; bytes that are not valid UTF-8 become U+FFFD.
void AppendJsonText(std::string& out, const std::string& raw);

// An IS or DS value as a JSON number (RFC 8259 6), or nullopt if it is none: a sign '+'
// and leading zeros are dropped, a missing digit around the point is supplied.
std::optional<std::string> JsonNumber(const std::string& value);

// "Alphabetic", "Ideographic" and "Phonetic" component groups of one PN value (PS3.5
// 6.2.1, PS3.18 F.2.2), the empty ones left out.
void AppendPersonName(std::string& out, const std::string& value);

}  // namespace telerad::dicom
