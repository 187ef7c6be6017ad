#include "src/base/text.h"

#include <gtest/gtest.h>

namespace telerad {
namespace {

TEST(TextTest, TrimsAsciiWhiteSpaceAtBothEnds) {
  EXPECT_EQ(Trimmed("  J18.9\t\r\n"), "J18.9");
  EXPECT_EQ(Trimmed("a b"), "a b");
  EXPECT_EQ(Trimmed(" \t\n"), "");
  EXPECT_EQ(Trimmed(""), "");
}

TEST(TextTest, KeepsCyrillicIntact) {
  // "Өвчтөн" starts with 0xD3 0xA8: no byte of a UTF-8 sequence is taken for space.
  EXPECT_EQ(Trimmed(" Өвчтөн Бат "), "Өвчтөн Бат");
  EXPECT_EQ(Trimmed("\xC2\xA0x\xC2\xA0"), "\xC2\xA0x\xC2\xA0");
}

TEST(TextTest, AsciiCaseIsIgnoredAndNothingElse) {
  EXPECT_TRUE(EqualsIgnoringAsciiCase("Content-Type", "content-TYPE"));
  EXPECT_TRUE(EqualsIgnoringAsciiCase("", ""));
  EXPECT_FALSE(EqualsIgnoringAsciiCase("boundary", "boundar"));
  EXPECT_FALSE(EqualsIgnoringAsciiCase("[", "{"));      // 0x5B and 0x7B differ by the case bit
  EXPECT_FALSE(EqualsIgnoringAsciiCase("Бат", "бат"));  // only ASCII folds
}

TEST(TextTest, JsonEscapingCoversQuotesBackslashesAndControlCharacters) {
  std::string out;
  AppendJsonEscaped(out, "a\"b\\c\n\t\x01\x1f/Бат");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\t\\u0001\\u001f/Бат\"");
}

}  // namespace
}  // namespace telerad
