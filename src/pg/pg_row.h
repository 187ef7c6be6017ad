// Small conversions between libpqxx values and model types, shared by src/pg/ (and bench/loader/).
#pragma once

#include <chrono>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "src/base/model.h"

namespace telerad {

// SQL fragment turning a timestamptz column into epoch microseconds (bigint or NULL).
#define TELERAD_MICROS(col) "(extract(epoch FROM " col ") * 1000000)::bigint"

inline TimePoint FromMicros(int64_t micros) {
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::microseconds(micros)));
}

inline int64_t ToMicros(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

inline std::optional<TimePoint> OptionalTime(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return FromMicros(f.as<int64_t>());
}

inline std::string TextOr(const pqxx::field& f, const std::string& fallback = "") {
  return f.is_null() ? fallback : f.as<std::string>();
}

// libpqxx 6 has no std::optional parameters; a null const char* binds SQL NULL.
inline const char* OrNull(const std::optional<std::string>& v) { return v ? v->c_str() : nullptr; }

// Raw bytes (a token digest) as the hex text form of bytea ("\\x0a1b..."): binding
// text keeps libpqxx 6's parameter passing simple. Bind it as `$n` of a bytea column.
inline std::string ByteaHex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out = "\\x";
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// The PostgreSQL array literal of `items` ({"a","b"}), each element quoted so commas,
// braces and quotes stay inside it: libpqxx 6 binds no arrays. Bind it as `$n::text[]`.
inline std::string TextArrayLiteral(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + '}';
}

}  // namespace telerad
