#include "src/storage/landing_name.h"

#include <gtest/gtest.h>

namespace telerad {
namespace {

TEST(LandingNameTest, NameTurnsBackIntoItsFacilityAndKey) {
  const std::string name = LandingNameFor(17, "1.2.3/1.2.3.4/1.2.3.4.5.dcm");
  EXPECT_EQ(name, "17_1.2.3_1.2.3.4_1.2.3.4.5.dcm");
  auto landed = ParseLandingName(name);
  ASSERT_TRUE(landed.has_value());
  EXPECT_EQ(landed->facility_id, 17);
  EXPECT_EQ(landed->key, "1.2.3/1.2.3.4/1.2.3.4.5.dcm");
  EXPECT_EQ(landed->name, name);
}

TEST(LandingNameTest, VariantKeysKeepTheirSopInstanceUid) {
  auto landed = ParseLandingName(LandingNameFor(3, "1.2/1.2.3/1.2.3.4-812-5.dcm"));
  ASSERT_TRUE(landed.has_value());
  EXPECT_EQ(landed->key, "1.2/1.2.3/1.2.3.4-812-5.dcm");
  EXPECT_EQ(SopInstanceUidOfKey(landed->key), "1.2.3.4");
  EXPECT_EQ(SopInstanceUidOfKey("1.2/1.2.3/1.2.3.4.dcm"), "1.2.3.4");
}

TEST(LandingNameTest, OtherNamesAreNotLandingNames) {
  for (const char* name :
       {"", "readme.txt", "17_1.2_1.3.dcm", "x_1.2_1.3_1.4.dcm", "0_1.2_1.3_1.4.dcm",
        "17_1.2_1.3_1.4.txt", "17_1..2_1.3_1.4.dcm", "17_1.2_1.3_1.4-x-1.dcm",
        "17_1.2_1.3_1.4_1.5.dcm", "17_1.2_1.3_../1.4.dcm"})
    EXPECT_FALSE(ParseLandingName(name).has_value()) << name;
  EXPECT_EQ(SopInstanceUidOfKey("1.2/1.4.dcm"), "");
}

}  // namespace
}  // namespace telerad
