#include "src/vocabulary/fold_case.h"

namespace telerad {
namespace {

// The lower-case partner of a Cyrillic code point (Unicode's case pairs of U+0400-U+04FF),
// or the code point itself.
char32_t LowerCyrillic(char32_t c) {
  if (c >= 0x0410 && c <= 0x042F) return c + 0x20;  // А-Я
  if (c >= 0x0400 && c <= 0x040F) return c + 0x50;  // Ѐ-Џ (Ё)
  if (c == 0x04C0) return 0x04CF;                   // Ӏ
  // The historic and extended letters pair up as (upper, lower) = (even, odd), but for
  // U+04C1-U+04CE, which pair as (odd, even).
  const bool even_pairs =
      (c >= 0x0460 && c <= 0x0481) || (c >= 0x048A && c <= 0x04BF) || (c >= 0x04D0 && c <= 0x04FF);
  if (even_pairs && c % 2 == 0) return c + 1;  // Ү U+04AE, Ө U+04E8
  if (c >= 0x04C1 && c <= 0x04CE && c % 2 == 1) return c + 1;
  return c;
}

}  // namespace

std::string FoldCase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 'A' && byte <= 'Z') {
      out += static_cast<char>(byte + ('a' - 'A'));
      continue;
    }
    // Cyrillic is U+0400-U+04FF: two bytes, 0xD0-0xD3 then a continuation byte.
    if (byte >= 0xD0 && byte <= 0xD3 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if ((next & 0xC0) == 0x80) {
        const char32_t c = LowerCyrillic(((byte & 0x1Fu) << 6) | (next & 0x3Fu));
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
        ++i;
        continue;
      }
    }
    out += static_cast<char>(byte);
  }
  return out;
}

}  // namespace telerad
