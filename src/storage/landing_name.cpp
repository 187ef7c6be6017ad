#include "src/storage/landing_name.h"

#include <vector>

#include "src/base/uid.h"

namespace telerad {
namespace {

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> parts(1);
  for (char c : text) {
    if (c == sep)
      parts.emplace_back();
    else
      parts.back() += c;
  }
  return parts;
}

bool AllDigits(const std::string& s) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// "<sop>.dcm" or "<sop>-<pid>-<n>.dcm" (DiskFileStore's variants): the SOP Instance UID,
// or "" when the file name is neither.
std::string SopOfFileName(const std::string& file) {
  constexpr size_t kExt = 4;  // ".dcm"
  if (file.size() <= kExt || file.compare(file.size() - kExt, kExt, ".dcm") != 0) return "";
  const std::vector<std::string> parts = Split(file.substr(0, file.size() - kExt), '-');
  if (parts.size() != 1 && parts.size() != 3) return "";
  if (parts.size() == 3 && (!AllDigits(parts[1]) || !AllDigits(parts[2]))) return "";
  return IsValidUid(parts[0]) ? parts[0] : "";
}

}  // namespace

std::string LandingNameFor(int64_t facility_id, const std::string& key) {
  std::string name = std::to_string(facility_id) + "_" + key;
  for (char& c : name)
    if (c == '/') c = '_';
  return name;
}

std::optional<LandedFile> ParseLandingName(const std::string& name) {
  const std::vector<std::string> parts = Split(name, '_');
  if (parts.size() != 4 || !AllDigits(parts[0]) || !IsValidUid(parts[1]) || !IsValidUid(parts[2]) ||
      SopOfFileName(parts[3]).empty())
    return std::nullopt;
  LandedFile landed;
  landed.facility_id = std::stoll(parts[0]);
  if (landed.facility_id <= 0) return std::nullopt;
  landed.key = parts[1] + "/" + parts[2] + "/" + parts[3];
  landed.name = name;
  return landed;
}

std::string SopInstanceUidOfKey(const std::string& key) {
  const std::vector<std::string> parts = Split(key, '/');
  if (parts.size() != 3) return "";
  return SopOfFileName(parts[2]);
}

}  // namespace telerad
