#include "src/reading/report_service.h"

#include <gtest/gtest.h>

#include "src/base/icd_code.h"

namespace telerad {
namespace {

TEST(ValidateDraft, NormalisesIcdCodesAndKeepsTheirOrder) {
  DraftContent c;
  c.icd_codes = {" j18.9 ", "CA40.0", "J18.9", "2c25.0&xh7sy1"};
  ASSERT_TRUE(ValidateDraft(c).ok());
  EXPECT_EQ(c.icd_codes, (std::vector<std::string>{"J18.9", "CA40.0", "2C25.0&XH7SY1"}));
}

TEST(ValidateDraft, RefusesBadCodesWithoutEchoingUnsafeText) {
  DraftContent c;
  c.icd_codes = {"<script>alert(1)</script>"};
  Status s = ValidateDraft(c);
  EXPECT_EQ(s.code(), StatusCode::kUnprocessable);
  EXPECT_EQ(s.message().find("<"), std::string::npos);
  c.icd_codes = {"XYZ"};
  s = ValidateDraft(c);
  EXPECT_NE(s.message().find("XYZ"), std::string::npos);  // a short, safe code is named
}

TEST(ValidateDraft, LimitsSizes) {
  DraftContent c;
  c.findings = std::string(kMaxReportTextBytes + 1, 'x');
  EXPECT_EQ(ValidateDraft(c).code(), StatusCode::kUnprocessable);
  c.findings.clear();
  c.icd_codes.assign(kMaxIcdCodes + 1, "J18.9");
  EXPECT_EQ(ValidateDraft(c).code(), StatusCode::kUnprocessable);
}

}  // namespace
}  // namespace telerad
