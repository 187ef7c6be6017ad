#include "api/query_params.h"

#include <gtest/gtest.h>

namespace telerad::api {
namespace {

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
