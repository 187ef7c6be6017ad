#include "api/http_error.h"

#include <string>

namespace telerad::api {
namespace {

Reply Answer(int http_status, const char* code, const std::string& message) {
  return Reply::Json({{"error", {{"code", code}, {"message", message}}}}, http_status);
}

}  // namespace

Status NotJsonObject() { return Status::Malformed("request body must be a JSON object"); }

Status PayloadTooLarge(int64_t limit_bytes) {
  return Status::TooLarge("request body exceeds " + std::to_string(limit_bytes) + " bytes");
}

Reply TooLargeReply(const Status& status, RequestPart part) {
  switch (part) {
    case RequestPart::kBody:
      return Answer(413, "payload_too_large", status.message());
    case RequestPart::kTarget:
      return Answer(414, "uri_too_long", status.message());
    case RequestPart::kHeaders:
      return Answer(431, "headers_too_large", status.message());
  }
  return Answer(413, "payload_too_large", status.message());
}

Reply CsrfRequiredReply(const Status& status) {
  return Answer(403, "csrf_required", status.message());
}

Reply ErrorReply(const Status& status) {
  const std::string& message = status.message();
  const char* name = StatusCodeName(status.code());
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return Answer(400, name, message);
    // The API's names for these predate the codes (and HTTP bodies are JSON).
    case StatusCode::kMalformed:
      return Answer(400, "invalid_json", message);
    case StatusCode::kTooLarge:
      return TooLargeReply(status, RequestPart::kBody);
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
    case StatusCode::kNotAcceptable:
      return Answer(406, name, message);
    case StatusCode::kUnsupportedMediaType:
      return Answer(415, name, message);
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
