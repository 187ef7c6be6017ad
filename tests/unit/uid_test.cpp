#include "src/base/uid.h"

#include <gtest/gtest.h>

#include <string>

namespace telerad {

TEST(UidTest, AcceptsOrdinaryUids) {
  EXPECT_TRUE(IsValidUid("1.2.840.10008.5.1.4.1.1.2"));
  EXPECT_TRUE(IsValidUid("0"));
  EXPECT_TRUE(IsValidUid("1.2.840.0113654.2.70.1"));  // leading zero: real modalities send it
}

TEST(UidTest, AcceptsExactly64Characters) {
  std::string uid = "1." + std::string(62, '1');
  ASSERT_EQ(uid.size(), 64u);
  EXPECT_TRUE(IsValidUid(uid));
  EXPECT_FALSE(IsValidUid(uid + "1"));
}

TEST(UidTest, RejectsEmptyAndDotOnlyComponents) {
  EXPECT_FALSE(IsValidUid(""));
  EXPECT_FALSE(IsValidUid("."));
  EXPECT_FALSE(IsValidUid(".."));
  EXPECT_FALSE(IsValidUid("1..2"));
  EXPECT_FALSE(IsValidUid(".1.2"));
  EXPECT_FALSE(IsValidUid("1.2."));
}

TEST(UidTest, RejectsPathAndOtherCharacters) {
  EXPECT_FALSE(IsValidUid("1.2/../../etc"));
  EXPECT_FALSE(IsValidUid("1.2\\3"));
  EXPECT_FALSE(IsValidUid("1.2.abc.4"));
  EXPECT_FALSE(IsValidUid("1.2 .3"));
  EXPECT_FALSE(IsValidUid(std::string("1.2\0.3", 6)));
}

}  // namespace telerad
