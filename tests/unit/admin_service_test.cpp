#include "src/accounts/admin_service.h"

#include <gtest/gtest.h>

namespace telerad {
namespace {

Facility Valid() {
  Facility f;
  f.code = "GA-TAISHIR";
  f.name = "Тайшир сумын ЭМТ";
  f.aimag = "Говь-Алтай";
  f.soum = "Тайшир";
  f.ae_title = "TAISHIR_CR";
  return f;
}

TEST(ValidateFacility, AcceptsARealisticSoumHealthCentre) {
  EXPECT_TRUE(ValidateFacility(Valid()).ok());
  Facility f = Valid();
  f.return_dicom = ReturnDicom{"pacs.taishir.mn", 104, "TAISHIR_PACS"};
  EXPECT_TRUE(ValidateFacility(f).ok());
  f.return_dicom = ReturnDicom{"fd00::5", 11112, "PACS"};
  EXPECT_TRUE(ValidateFacility(f).ok());
}

TEST(ValidateFacility, RefusesEachBadFieldNamingIt) {
  auto field_error = [](void (*change)(Facility&)) {
    Facility f = Valid();
    change(f);
    Status s = ValidateFacility(f);
    EXPECT_EQ(s.code(), StatusCode::kUnprocessable);
    return s.message();
  };
  EXPECT_NE(field_error([](Facility& f) { f.code = "a b"; }).find("code"), std::string::npos);
  EXPECT_NE(field_error([](Facility& f) { f.code = ""; }).find("code"), std::string::npos);
  EXPECT_NE(field_error([](Facility& f) { f.name = ""; }).find("name"), std::string::npos);
  EXPECT_NE(field_error([](Facility& f) { f.aimag = "a\nb"; }).find("aimag"), std::string::npos);
  EXPECT_NE(field_error([](Facility& f) { f.ae_title = "SEVENTEEN_CHARS_X"; }).find("ae_title"),
            std::string::npos);
  EXPECT_NE(field_error([](Facility& f) { f.ae_title = "BACK\\SLASH"; }).find("ae_title"),
            std::string::npos);
  EXPECT_NE(field_error([](Facility& f) { f.ae_title = "   "; }).find("ae_title"),
            std::string::npos);
  EXPECT_NE(field_error([](Facility& f) {
              f.return_dicom = ReturnDicom{"host; rm -rf /", 104, "PACS"};
            }).find("host"),
            std::string::npos);
  EXPECT_NE(field_error([](Facility& f) {
              f.return_dicom = ReturnDicom{"pacs", 0, "PACS"};
            }).find("port"),
            std::string::npos);
}

TEST(ValidateUsernameAndPassword, Rules) {
  EXPECT_TRUE(ValidateUsername("rad.bat-erdene_2").ok());
  for (const char* bad : {"", "a", "Rad1", "rad 1", "рад1"})
    EXPECT_FALSE(ValidateUsername(bad).ok()) << bad;
  EXPECT_TRUE(ValidatePassword("Говь-Алтай 2025").ok());
  EXPECT_FALSE(ValidatePassword("short").ok());
  EXPECT_FALSE(ValidatePassword(std::string(2000, 'x')).ok());
}

}  // namespace
}  // namespace telerad
