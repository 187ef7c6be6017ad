#include "dicom/dimse_status.h"

#include <gtest/gtest.h>

#include <vector>

namespace telerad::dicom {
namespace {

struct Row {
  StatusCode code;
  Uint16 status;
  StoreFailure reason;
};

// Every StatusCode, with the answer README "What happens to a DICOM instance" promises.
const std::vector<Row> kEveryCode = {
    {StatusCode::kOk, 0x0000, StoreFailure::kOther},
    {StatusCode::kInvalidArgument, 0xC000, StoreFailure::kInvalid},
    {StatusCode::kMalformed, 0xC000, StoreFailure::kInvalid},
    {StatusCode::kTooLarge, 0xA700, StoreFailure::kInvalid},
    {StatusCode::kNotFound, 0xC000, StoreFailure::kInvalid},
    {StatusCode::kUnauthenticated, 0x0124, StoreFailure::kOther},
    {StatusCode::kPermissionDenied, 0x0124, StoreFailure::kOther},
    {StatusCode::kConflict, 0xC001, StoreFailure::kConflict},
    {StatusCode::kFailedPrecondition, 0xC001, StoreFailure::kConflict},
    {StatusCode::kUnprocessable, 0xC000, StoreFailure::kInvalid},
    {StatusCode::kTooManyRequests, 0xA700, StoreFailure::kOther},
    {StatusCode::kNotAcceptable, 0xA700, StoreFailure::kOther},
    {StatusCode::kUnsupportedMediaType, 0xA700, StoreFailure::kOther},
    {StatusCode::kUnavailable, 0xA700, StoreFailure::kDatabase},
    {StatusCode::kResourceExhausted, 0xA700, StoreFailure::kStorage},
    {StatusCode::kInternal, 0xA700, StoreFailure::kOther},
};

TEST(DimseStatusTest, EveryStatusCodeHasItsAnswer) {
  for (const Row& row : kEveryCode) {
    const StoreAnswer answer = StoreAnswerFor(row.code);
    EXPECT_EQ(answer.status, row.status) << StatusCodeName(row.code);
    if (row.status != kStoreSuccess) {
      EXPECT_EQ(answer.reason, row.reason) << StatusCodeName(row.code);
    }
  }
  EXPECT_EQ(kEveryCode.size(), static_cast<size_t>(StatusCode::kInternal) + 1);
}

TEST(DimseStatusTest, DoorRefusalsKeepTheirStatuses) {
  EXPECT_EQ(kAnswerSopClassNotSupported.status, 0x0122);
  EXPECT_EQ(kAnswerSopClassNotSupported.reason, StoreFailure::kSopClass);
  EXPECT_EQ(kAnswerSopClassMismatch.status, 0xA900);
  EXPECT_EQ(kAnswerSopClassMismatch.reason, StoreFailure::kSopClass);
  EXPECT_EQ(kAnswerCannotUnderstand.status, 0xC000);
  EXPECT_EQ(kAnswerCannotUnderstand.reason, StoreFailure::kInvalid);
  EXPECT_EQ(kAnswerNotWritten.status, 0xA700);
  EXPECT_EQ(kAnswerNotWritten.reason, StoreFailure::kStorage);
  EXPECT_EQ(kAnswerInternalError.status, 0xA700);
  EXPECT_EQ(kAnswerInternalError.reason, StoreFailure::kOther);
}

}  // namespace
}  // namespace telerad::dicom
