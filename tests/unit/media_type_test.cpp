#include "api/media_type.h"

#include <gtest/gtest.h>

namespace telerad::api {
namespace {

TEST(MediaType, ReadsQuotedAndBareParametersAlike) {
  auto quoted = ParseMediaType(R"(Multipart/Related; type="application/dicom"; boundary="a b")");
  ASSERT_TRUE(quoted.ok()) << quoted.status().ToString();
  EXPECT_EQ(quoted->Essence(), "multipart/related");
  EXPECT_EQ(quoted->Param("type"), "application/dicom");
  EXPECT_EQ(quoted->Param("boundary"), "a b");
  auto bare = ParseMediaType("multipart/related;type=application/dicom ;  BOUNDARY=xYz");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->Param("type"), "application/dicom");
  EXPECT_EQ(bare->Param("boundary"), "xYz");  // the value keeps its case
}

TEST(MediaType, ResolvesQuotedPairs) {
  auto m = ParseMediaType(R"(text/plain; x="a\"b\\c")");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->Param("x"), R"(a"b\c)");
}

TEST(MediaType, RefusesWhatIsNotAMediaType) {
  for (const char* bad : {"", "text", "text/", "/plain", "text/plain; x", "text/plain; x=",
                          "text/plain; x=\"open", "text/plain x=1", "text/plain; =1"})
    EXPECT_FALSE(ParseMediaType(bad).ok()) << bad;
}

TEST(MediaType, SplitsListsOutsideQuotes) {
  auto parts = SplitHeaderList(R"(a/b; x="1,2", , c/d ,e/f)");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], R"(a/b; x="1,2")");
  EXPECT_EQ(parts[1], "c/d");
  EXPECT_EQ(parts[2], "e/f");
}

TEST(MediaType, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(QuoteIfNeeded("abc-1.2"), "abc-1.2");
  EXPECT_EQ(QuoteIfNeeded("application/dicom"), "\"application/dicom\"");
  EXPECT_EQ(QuoteIfNeeded("a\"b"), "\"a\\\"b\"");
  auto back = ParseMediaType("x/y; p=" + QuoteIfNeeded("a\"b\\ c"));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->Param("p"), "a\"b\\ c");
}

}  // namespace
}  // namespace telerad::api
