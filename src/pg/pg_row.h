// Small conversions between libpqxx values and model types, shared by src/pg/ (and bench/loader/).
#pragma once

#include <chrono>
#include <cstdlib>
#include <cstring>
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

// The elements of a one-dimensional integer array in PostgreSQL's text form ("{1,-2,3}"),
// replacing `out`'s; a NULL array is empty, a NULL element 0. libpqxx 6 reads no arrays
// into containers (its array_parser yields strings one by one).
inline void IntArrayOf(const pqxx::field& f, std::vector<int64_t>* out) {
  out->clear();
  if (f.is_null()) return;
  const char* p = f.c_str();
  if (*p == '{') ++p;
  while (*p != '\0' && *p != '}') {
    char* end = nullptr;
    const long long v = std::strtoll(p, &end, 10);
    out->push_back(end == p ? 0 : v);  // NULL
    p = end == p ? p + std::strcspn(p, ",}") : end;
    if (*p == ',') ++p;
  }
}

}  // namespace telerad
