#include "src/base/icd_code.h"

#include <gtest/gtest.h>

namespace telerad {
namespace {

TEST(IcdCode, Icd10CategoriesAndSubcategories) {
  for (const char* code : {"J18", "J18.9", "S72.001", "C7A", "U07.1", "Z00.00"})
    EXPECT_EQ(ClassifyIcdCode(code), IcdSystem::kIcd10) << code;
}

TEST(IcdCode, Icd11StemsAndClusters) {
  for (const char* code : {"CA40", "CA40.0", "2C25.0", "1A00", "MG30.01", "NA02.0&XA8LA4",
                           "2C25.0&XH7SY1", "CA40.0/MG30"})
    EXPECT_EQ(ClassifyIcdCode(code), IcdSystem::kIcd11) << code;
}

TEST(IcdCode, RejectsWhatIsNeither) {
  for (const char* code :
       {"",      "J",        "J1",    "j18.9",   "J18.", "J18.12345", "18.9",
        "J18-9", "CO40",     "CI40",  "XH7SY1",  "0A00", "CA40.",     "CA40.123",
        "CA40&", "CA40&XH7", "CA40/", "&XH7SY1", " J18", "J18 ",      "J18.9;DROP"})
    EXPECT_FALSE(ClassifyIcdCode(code).has_value()) << code;
}

}  // namespace
}  // namespace telerad
