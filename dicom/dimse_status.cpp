#include "dicom/dimse_status.h"

namespace telerad::dicom {

StoreAnswer StoreAnswerFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return {kStoreSuccess, StoreFailure::kOther};
    case StatusCode::kInvalidArgument:
    case StatusCode::kMalformed:
    case StatusCode::kUnprocessable:
    case StatusCode::kNotFound:
      return {kStoreCannotUnderstand, StoreFailure::kInvalid};
    case StatusCode::kConflict:
    case StatusCode::kFailedPrecondition:
      return {kStoreConflictsWithIndex, StoreFailure::kConflict};
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied:
      return {kStoreRefusedNotAuthorized, StoreFailure::kOther};
    // The sender should retry later: nothing was stored.
    case StatusCode::kUnavailable:
      return {kStoreOutOfResources, StoreFailure::kDatabase};
    case StatusCode::kResourceExhausted:
      return {kStoreOutOfResources, StoreFailure::kStorage};
    // Over a size limit of ours: "Refused: Out of Resources" (PS3.4 B.2.3), the class of
    // answer for a request the SCP will not hold, not one it cannot understand.
    case StatusCode::kTooLarge:
      return {kStoreOutOfResources, StoreFailure::kInvalid};
    case StatusCode::kTooManyRequests:
    case StatusCode::kNotAcceptable:  // no C-STORE path returns these
    case StatusCode::kUnsupportedMediaType:
    case StatusCode::kInternal:
      return {kStoreOutOfResources, StoreFailure::kOther};
  }
  return {kStoreOutOfResources, StoreFailure::kOther};  // not a StatusCode: memory corruption
}

}  // namespace telerad::dicom
