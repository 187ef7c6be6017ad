// DICOM UID validation (PS3.5 §9.1): the only gate between header text and file paths.
#pragma once

#include <string>
#include <string_view>

namespace telerad {

// True when `uid` is 1..64 characters of digits and dots, with no empty component
// (so no leading, trailing or doubled dot: "." and ".." can never pass). Leading zeros
// inside a component are tolerated: real modalities emit them, and they are harmless
// in a path. A valid UID is safe to use as one path component.
bool IsValidUid(std::string_view uid);

// A new globally unique UID under the "2.25" root (PS3.5 §B.2): "2.25." followed by a
// random 128-bit number in decimal (at most 44 characters). REQUIRES: InitSodium().
std::string NewUid();

}  // namespace telerad
