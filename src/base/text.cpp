#include "src/base/text.h"

namespace telerad {
namespace {

// Not std::isspace: its answer depends on the C locale, and bytes of UTF-8 sequences
// must never be taken for space.
bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

}  // namespace

std::string Trimmed(std::string_view text) {
  size_t begin = 0, end = text.size();
  while (begin < end && IsAsciiSpace(text[begin])) ++begin;
  while (end > begin && IsAsciiSpace(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

}  // namespace telerad
