#include "api/query_params.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace telerad::api {
namespace {

// A second, independent reading of RFC 3629: decode each sequence to its code point and
// check the length is the shortest for it and the point is a Unicode scalar value.
bool ReferenceUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80                ? 1
                 : c >= 0xC0 && c < 0xE0 ? 2
                 : c >= 0xE0 && c < 0xF0 ? 3
                 : c >= 0xF0 && c < 0xF8 ? 4
                                         : 0;
    if (len == 0 || i + len > s.size()) return false;
    uint32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    const uint32_t shortest = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (cp == 0 || len != shortest || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::string Escape(const std::string& bytes) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    out += '%';
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

TEST(QueryParamsTest, PercentDecodeReadsUtf8) {
  EXPECT_EQ(PercentDecode("%D0%A3%D0%B2%D1%81"), "Увс");
  EXPECT_EQ(PercentDecode("a+b%20c"), "a b c");
  EXPECT_EQ(PercentDecode("%F0%9F%98%80"), "\xF0\x9F\x98\x80");  // U+1F600
  EXPECT_EQ(PercentDecode("%F4%8F%BF%BF"), "\xF4\x8F\xBF\xBF");  // U+10FFFF
  EXPECT_EQ(PercentDecode(""), "");
}

// Each of these decodes to bytes PostgreSQL refuses as UTF-8 text (or breaks the escape):
// the API must answer 400, which TextParam does when PercentDecode says nullopt.
TEST(QueryParamsTest, PercentDecodeRefusesBrokenEscapesAndInvalidUtf8) {
  for (const char* bad : {"%",
                          "%4",
                          "%G0",
                          "%%",
                          "abc%",
                          "%0",
                          "%00",  // escape, NUL
                          "%C0%80",
                          "%C1%BF",  // overlong 2
                          "%E0%80%80",
                          "%E0%9F%BF",  // overlong 3
                          "%ED%A0%80",
                          "%ED%BF%BF",  // surrogates
                          "%F0%80%80%80",
                          "%F0%8F%BF%BF",  // overlong 4
                          "%F4%90%80%80",
                          "%F5%80%80%80",
                          "%FF",
                          "%FE",  // past U+10FFFF
                          "%80",
                          "%BF",
                          "%D0",
                          "%E2%82",
                          "%F0%9F%98",  // lone, truncated
                          "%D0%41",
                          "%E2%28%A1"})  // bad continuation
    EXPECT_FALSE(PercentDecode(bad).has_value()) << bad;
}

// Fuzz-like: random byte strings, escaped, must be accepted exactly when the reference
// reading says they are UTF-8, and then decode to themselves.
TEST(QueryParamsTest, PercentDecodeAgreesWithAReferenceOnRandomBytes) {
  std::mt19937 rng(12);
  std::uniform_int_distribution<int> length(0, 8);
  // Biased towards the bytes where UTF-8 has its edges.
  const unsigned char edges[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1,
                                 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xF8, 0xFF};
  std::uniform_int_distribution<int> any(0, 255), pick(0, sizeof(edges) - 1), coin(0, 1);
  int accepted = 0;
  for (int round = 0; round < 200000; ++round) {
    std::string bytes;
    for (int n = length(rng); n > 0; --n)
      bytes += static_cast<char>(coin(rng) ? edges[pick(rng)] : any(rng));
    auto decoded = PercentDecode(Escape(bytes));
    ASSERT_EQ(decoded.has_value(), ReferenceUtf8(bytes)) << Escape(bytes);
    if (decoded) {
      ASSERT_EQ(*decoded, bytes);
      ++accepted;
    }
    ASSERT_EQ(IsUtf8(bytes), ReferenceUtf8(bytes)) << Escape(bytes);
  }
  EXPECT_GT(accepted, 1000);  // the generator does reach valid text
}

// Random printable junk (what a query string may carry) never crashes the decoder.
TEST(QueryParamsTest, PercentDecodeSurvivesRandomQueryText) {
  std::mt19937 rng(7);
  const std::string alphabet = "%+0123456789ABCDEFabcdefGz.-_~";
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1), length(0, 12);
  for (int round = 0; round < 100000; ++round) {
    std::string text;
    for (size_t n = length(rng); n > 0; --n) text += alphabet[pick(rng)];
    auto decoded = PercentDecode(text);
    if (decoded) {
      ASSERT_TRUE(IsUtf8(*decoded)) << text;
    }
  }
}

TEST(PercentDecodeTest, DecodesUtf8AndPlusAsSpace) {
  EXPECT_EQ(PercentDecode("%D0%A3%D0%B2%D1%81"), "Увс");
  EXPECT_EQ(PercentDecode("a+b%2Fc"), "a b/c");
  EXPECT_EQ(PercentDecode("%F0%9F%98%80%EF%BF%BD"), "\U0001F600\uFFFD");
}

TEST(PercentDecodeTest, RefusesBrokenEscapesNulAndTwoByteOverlongForms) {
  for (const char* bad : {"%D0", "%ZZ", "%", "a%2", "%C0%80", "%C1%BF", "%00", "%FF", "%80"})
    EXPECT_EQ(PercentDecode(bad), std::nullopt) << bad;
}

// Found by tests/fuzz/query_params_fuzz: these are not UTF-8 (PostgreSQL refuses them) but
// were decoded, so a filter holding one ended in a 500.
TEST(PercentDecodeTest, FuzzFoundSurrogatesLongOverlongFormsAndTooHighCodePointsAreRefused) {
  for (const char* bad : {"%ED%A0%80", "%ED%BF%BF", "%E0%80%80", "%E0%9F%BF", "%F0%80%80%80",
                          "%F0%8F%BF%BF", "%F4%90%80%80", "%F5%80%80%80", "%F7%BF%BF%BF"})
    EXPECT_EQ(PercentDecode(bad), std::nullopt) << bad;
  // The edges on the valid side stay valid.
  for (const char* good : {"%ED%9F%BF", "%EE%80%80", "%E0%A0%80", "%F0%90%80%80", "%F4%8F%BF%BF"})
    EXPECT_NE(PercentDecode(good), std::nullopt) << good;
}

}  // namespace
}  // namespace telerad::api
