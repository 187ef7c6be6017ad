#include "api/http_error.h"

#include <string>

namespace telerad::api {
namespace {

// The refusals only the door makes. ErrorReply recognises them by their whole message,
// which nothing but NotJsonObject and PayloadTooLarge writes: StatusCode is shared with
// the services and the DICOM door, and has no word for "not JSON" or "too big".
constexpr const char* kNotJsonMessage = "request body must be a JSON object";
constexpr const char* kTooLargePrefix = "request body exceeds ";
constexpr const char* kTooLargeSuffix = " bytes";

bool IsPayloadTooLarge(const std::string& message) {
  const std::string prefix = kTooLargePrefix, suffix = kTooLargeSuffix;
  return message.size() > prefix.size() + suffix.size() && message.rfind(prefix, 0) == 0 &&
         message.compare(message.size() - suffix.size(), suffix.size(), suffix) == 0 &&
         message.find_first_not_of("0123456789", prefix.size()) == message.size() - suffix.size();
}

Reply Answer(int http_status, const char* code, const std::string& message) {
  return Reply::Json({{"error", {{"code", code}, {"message", message}}}}, http_status);
}

}  // namespace

Status NotJsonObject() { return Status::InvalidArgument(kNotJsonMessage); }

Status PayloadTooLarge(int limit_bytes) {
  return Status::InvalidArgument(kTooLargePrefix + std::to_string(limit_bytes) + kTooLargeSuffix);
}

Reply ErrorReply(const Status& status) {
  const std::string& message = status.message();
  const char* name = StatusCodeName(status.code());
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      if (message == kNotJsonMessage) return Answer(400, "invalid_json", message);
      if (IsPayloadTooLarge(message)) return Answer(413, "payload_too_large", message);
      return Answer(400, name, message);
    case StatusCode::kUnauthenticated:
      return Answer(401, name, message);
    case StatusCode::kPermissionDenied:
      return Answer(403, name, message);
    case StatusCode::kNotFound:
      return Answer(404, name, message);
    case StatusCode::kConflict:
      return Answer(409, name, message);
    case StatusCode::kFailedPrecondition:
      return Answer(412, name, message);
    case StatusCode::kUnprocessable:
      return Answer(422, name, message);
    case StatusCode::kTooManyRequests:
      return Answer(429, name, message);
    case StatusCode::kUnavailable:
    case StatusCode::kResourceExhausted:
      return Answer(503, name, "service temporarily unavailable");
    case StatusCode::kOk:  // a bug in the caller (REQUIRES): say so rather than "200 error"
    case StatusCode::kInternal:
      return Answer(500, StatusCodeName(StatusCode::kInternal), "internal error");
  }
  return Answer(500, StatusCodeName(StatusCode::kInternal), "internal error");
}

}  // namespace telerad::api
