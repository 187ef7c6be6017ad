// Small text helpers shared by the services. Pure functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace telerad {

// `text` without leading and trailing ASCII white space (space, \t, \n, \v, \f, \r).
// Other bytes, UTF-8 included, are kept as they are.
std::string Trimmed(std::string_view text);

// Whether `a` and `b` are equal when ASCII letters are compared without case (header
// names, media types); other bytes must match exactly.
bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b);

// Appends `utf8` as a JSON string, in quotes, escaping what RFC 8259 section 7 requires.
// REQUIRES: `utf8` is valid UTF-8 (callers sanitise first).
void AppendJsonEscaped(std::string& out, std::string_view utf8);

}  // namespace telerad
