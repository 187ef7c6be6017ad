#include "dicom/dicom_json_text.h"

#include <algorithm>

#include "dicom/header_reader.h"
#include "src/base/text.h"

namespace telerad::dicom {
namespace {

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

void AppendJsonText(std::string& out, const std::string& raw) {
  AppendJsonEscaped(out, SanitizeUtf8(raw));
}

std::optional<std::string> JsonNumber(const std::string& value) {
  std::string s = value;
  std::string sign;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    if (s[0] == '-') sign = "-";
    s.erase(0, 1);
  }
  std::string exponent;
  const size_t e = s.find_first_of("eE");
  if (e != std::string::npos) {
    exponent = s.substr(e + 1);
    s.resize(e);
    std::string digits = exponent;
    if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.erase(0, 1);
    if (!AllDigits(digits)) return std::nullopt;
  }
  std::string integer = s, fraction;
  const size_t point = s.find('.');
  if (point != std::string::npos) {
    integer = s.substr(0, point);
    fraction = s.substr(point + 1);
    if (integer.empty() && fraction.empty()) return std::nullopt;
    if (fraction.empty()) fraction = "0";
    if (!AllDigits(fraction)) return std::nullopt;
  }
  if (integer.empty()) integer = "0";
  if (!AllDigits(integer)) return std::nullopt;
  integer.erase(0, std::min(integer.find_first_not_of('0'), integer.size() - 1));
  std::string out = sign + integer;
  if (point != std::string::npos) out += "." + fraction;
  if (e != std::string::npos) out += "e" + exponent;
  return out;
}

void AppendPersonName(std::string& out, const std::string& value) {
  static const char* const kGroups[] = {"Alphabetic", "Ideographic", "Phonetic"};
  out += '{';
  bool first = true;
  size_t start = 0;
  for (int g = 0; g < 3 && start <= value.size(); ++g) {
    size_t end = value.find('=', start);
    if (end == std::string::npos || g == 2) end = value.size();
    const std::string group = value.substr(start, end - start);
    if (!group.empty()) {
      if (!first) out += ',';
      first = false;
      out += '"';
      out += kGroups[g];
      out += "\":";
      AppendJsonText(out, group);
    }
    start = end + 1;
  }
  out += '}';
}

}  // namespace telerad::dicom
