#include "src/audit/audit_outcome.h"

namespace telerad {

const char* AuditOutcome(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return "success";
    case StatusCode::kInvalidArgument:
    case StatusCode::kMalformed:
    case StatusCode::kTooLarge:
    case StatusCode::kUnprocessable:
    case StatusCode::kNotAcceptable:
    case StatusCode::kUnsupportedMediaType:
      return "invalid";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kPermissionDenied:
      return "denied";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kConflict:
    case StatusCode::kFailedPrecondition:
      return "conflict";
    case StatusCode::kTooManyRequests:
      return "throttled";
    case StatusCode::kUnavailable:
    case StatusCode::kResourceExhausted:
    case StatusCode::kInternal:
      return "error";
  }
  return "error";  // not reached: the switch names every code (-Wswitch)
}

}  // namespace telerad
