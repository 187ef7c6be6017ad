#include "dicom/dimse_status.h"

namespace telerad::dicom {

Uint16 StoreStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return kStoreSuccess;
    case StatusCode::kInvalidArgument:
    case StatusCode::kUnprocessable:
    case StatusCode::kNotFound:
      return kStoreCannotUnderstand;
    case StatusCode::kConflict:
    case StatusCode::kFailedPrecondition:
      return kStoreConflictsWithIndex;
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied:
      return kStoreRefusedNotAuthorized;
    // The sender should retry later: nothing was stored.
    case StatusCode::kUnavailable:
    case StatusCode::kResourceExhausted:
    case StatusCode::kTooManyRequests:
    case StatusCode::kInternal:
      return kStoreOutOfResources;
  }
  return kStoreOutOfResources;
}

}  // namespace telerad::dicom
