// Helpers for COPYing generated rows with pqxx::stream_to (the bench and capacity
// loaders): a field that may be NULL, and timestamps COPY reads whatever the session's
// DateStyle. Never used by the server.
#pragma once

#include <time.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <pqxx/pqxx>
#include <string>

namespace telerad {

// One COPY field: text, or NULL. libpqxx 6 has no string_traits for std::optional, and
// stream_to needs one per field type (it asks is_null, then to_string).
struct CopyText {
  std::optional<std::string> value;
  CopyText() = default;
  // Implicit, so a row reads as a list of its values.
  CopyText(std::string v) : value(std::move(v)) {}
  CopyText(const char* v) : value(std::string(v)) {}
  CopyText(std::nullopt_t) {}
};

// Epoch microseconds → a timestamptz literal in UTC ("2025-05-31 08:00:00.000000+00").
inline std::string CopyTimestamp(int64_t micros) {
  time_t secs = static_cast<time_t>(micros / 1000000);
  struct tm t;
  gmtime_r(&secs, &t);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%06lld+00", t.tm_year + 1900,
                t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec,
                static_cast<long long>(micros % 1000000));
  return buf;
}

// Now, in epoch microseconds: the reference time a load's generated rows are placed
// before.
inline int64_t CopyNowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline CopyText CopyOptTimestamp(std::optional<int64_t> micros) {
  if (!micros) return std::nullopt;
  return CopyTimestamp(*micros);
}

}  // namespace telerad

namespace pqxx {
template <>
struct string_traits<telerad::CopyText> {
  static constexpr const char* name() noexcept { return "telerad::CopyText"; }
  static constexpr bool has_null() noexcept { return true; }
  static bool is_null(const telerad::CopyText& t) { return !t.value; }
  static telerad::CopyText null() { return {}; }
  static void from_string(const char str[], telerad::CopyText& t) { t.value = str; }
  static std::string to_string(const telerad::CopyText& t) { return t.value.value_or(""); }
};
}  // namespace pqxx
