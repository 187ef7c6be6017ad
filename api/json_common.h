// What every topic's JSON shares (API.md): time stamps, nullable text, the list shape,
// and the string escaping of the hand-written writers. Pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "src/base/model.h"

namespace telerad::api {

// "2025-05-31T08:00:00.123Z" (UTC, milliseconds).
std::string FormatTime(TimePoint t);
// Null, or FormatTime's string.
nlohmann::json OptionalTime(const std::optional<TimePoint>& t);

// Parses "YYYY-MM-DD" (UTC midnight) or an RFC 3339 time ("2025-05-31T08:00:00Z",
// "2025-05-31T08:00:00.123Z", "2025-05-31T16:00:00+08:00"), so clients can echo back
// what FormatTime produced, for years 1700..2200. nullopt for anything else.
std::optional<TimePoint> ParseTime(const std::string& text);

// Null, or the string.
nlohmann::json OptionalText(const std::optional<std::string>& text);

// The API's list shape (API.md): {"items": [to_json(item)...], "next_cursor": next or null}.
template <typename T, typename ToJson>
nlohmann::json ListJson(const std::vector<T>& items, ToJson to_json,
                        const std::optional<std::string>& next_cursor = std::nullopt) {
  nlohmann::json out = nlohmann::json::array();
  for (const T& item : items) out.push_back(to_json(item));
  return {{"items", std::move(out)},
          {"next_cursor", next_cursor ? nlohmann::json(*next_cursor) : nlohmann::json(nullptr)}};
}

// A JSON string literal as nlohmann's dump(ensure_ascii = false, replace) writes it.
void AppendJsonString(std::string& out, const std::string& text);

}  // namespace telerad::api
