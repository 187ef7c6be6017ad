#include "api/json_common.h"

#include <cctype>
#include <cstdio>
#include <ctime>

#include "src/base/text.h"

namespace telerad::api {
namespace {

// True when `text` is well-formed UTF-8 (what nlohmann's serializer accepts unchanged).
bool IsUtf8(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if ((c >> 5) == 0x6) {
      len = 2, cp = c & 0x1F;
    } else if ((c >> 4) == 0xE) {
      len = 3, cp = c & 0x0F;
    } else if ((c >> 3) == 0x1E) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > text.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return false;
    i += len;
  }
  return true;
}

}  // namespace

std::string FormatTime(TimePoint t) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  if (ms < 0 && ms % 1000 != 0) --secs;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(((ms % 1000) + 1000) % 1000));
  return buf;
}

nlohmann::json OptionalTime(const std::optional<TimePoint>& t) {
  return t ? nlohmann::json(FormatTime(*t)) : nlohmann::json(nullptr);
}

nlohmann::json OptionalText(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

std::optional<TimePoint> ParseTime(const std::string& text) {
  // YYYY-MM-DD, or RFC 3339: YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM).
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10)
    return std::nullopt;
  size_t pos = 10;
  long long micros = 0;
  int offset_minutes = 0;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't') return std::nullopt;
    if (std::sscanf(text.c_str() + pos + 1, "%2d:%2d:%2d%n", &h, &mi, &s, &used) != 3 || used != 8)
      return std::nullopt;
    pos += 9;
    if (pos < text.size() && text[pos] == '.') {
      long long scale = 100000;
      size_t digits = 0;
      for (++pos; pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])); ++pos) {
        if (digits++ < 6) micros += (text[pos] - '0') * scale, scale /= 10;
      }
      if (digits == 0) return std::nullopt;
    }
    if (pos == text.size()) return std::nullopt;  // a time needs its offset
    if (text[pos] == 'Z' || text[pos] == 'z') {
      ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
      int oh = 0, om = 0;
      if (std::sscanf(text.c_str() + pos + 1, "%2d:%2d%n", &oh, &om, &used) != 2 || used != 5 ||
          oh > 23 || om > 59)
        return std::nullopt;
      offset_minutes = (text[pos] == '+' ? 1 : -1) * (oh * 60 + om);
      pos += 6;
    }
    if (pos != text.size()) return std::nullopt;
  }
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  // Years well inside what a nanosecond system_clock holds (1677..2262): outside it the
  // conversion overflows (undefined behaviour). sscanf's %d also reads a sign ("T-1:-1").
  if (y < 1700 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || h < 0 || h > 23 ||
      mi < 0 || mi > 59 || s < 0 || s > 60)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return std::chrono::system_clock::from_time_t(timegm(&tm)) -
         std::chrono::minutes(offset_minutes) +
         std::chrono::duration_cast<TimePoint::duration>(std::chrono::microseconds(micros));
}

void AppendJsonString(std::string& out, const std::string& text) {
  if (!IsUtf8(text)) {
    // Rare (a mislabelled DICOM file): let nlohmann apply its replacement rules.
    out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  AppendJsonEscaped(out, text);
}

}  // namespace telerad::api
