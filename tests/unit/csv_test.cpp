#include "api/csv.h"

#include <gtest/gtest.h>

namespace telerad::api {
namespace {

TEST(CsvTest, FieldsAreQuotedOnlyWhenTheyNeedIt) {
  EXPECT_EQ(CsvField("2098"), "2098");
  EXPECT_EQ(CsvField("Телемедицин нэвтэрсэн"), "Телемедицин нэвтэрсэн");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("“Цахим эмнэлэг” \"x\""), "\"“Цахим эмнэлэг” \"\"x\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
}

TEST(CsvTest, FormulaLookalikesAreDefused) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(CsvField("+1"), "'+1");
  EXPECT_EQ(CsvField("@sum"), "'@sum");
}

TEST(CsvTest, DocumentStartsWithABomAndEndsLinesWithCrLf) {
  EXPECT_EQ(CsvDocument({{"a", "b"}, {"1", ""}}),
            "\xEF\xBB\xBF"
            "a,b\r\n1,\r\n");
}

}  // namespace
}  // namespace telerad::api
