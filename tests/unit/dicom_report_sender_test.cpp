#include "dicom/dicom_report_sender.h"

#include <gtest/gtest.h>

namespace telerad::dicom {
namespace {

TEST(ReportSenderStatusTest, SuccessAndStorageWarningsMeanDelivered) {
  for (uint16_t status : {0x0000, 0xB000, 0xB006, 0xB007})
    EXPECT_TRUE(StoreResponseToStatus(status).ok()) << std::hex << status;
}

TEST(ReportSenderStatusTest, FailuresAreRefusalsNamingTheStatus) {
  for (uint16_t status : {0xA700, 0xA900, 0xC000, 0x0122, 0x0124, 0x0001}) {
    Status s = StoreResponseToStatus(status);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << std::hex << status;
  }
  EXPECT_NE(StoreResponseToStatus(0xA700).message().find("0xA700"), std::string::npos);
}

}  // namespace
}  // namespace telerad::dicom
