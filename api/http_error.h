// The HTTP door's one table from a Status to the answer a client sees (API.md): the HTTP
// status and the body {"error":{"code","message"}}. Handlers, request parsing and the
// server's own checks return a Status; only ErrorReply turns it into a reply. Pure
// functions, safe from any thread.
#pragma once

#include "api/reply.h"
#include "src/base/status.h"

namespace telerad::api {

// The answer to a failed request:
//   kInvalidArgument    400 "invalid_argument"
//   kMalformed          400 "invalid_json"
//   kTooLarge           413 "payload_too_large"
//   kUnauthenticated    401 "unauthenticated"
//   kPermissionDenied   403 "permission_denied"
//   kNotFound           404 "not_found"
//   kConflict           409 "conflict"
//   kFailedPrecondition 412 "precondition_failed"  (a stale If-Match or version)
//   kUnprocessable      422 "invalid_field"
//   kTooManyRequests    429 "too_many_requests"
//   kInternal           500 "internal", message "internal error"
//   kUnavailable, kResourceExhausted
//                       503 "unavailable" / "resource_exhausted", message "service
//                           temporarily unavailable"
// Otherwise the message is the Status's: services put no SQL, paths or patient data in
// it (status.h), and the details of 500 and 503 stay in the server log.
// REQUIRES: !status.ok().
Reply ErrorReply(const Status& status);

// The door's own refusals of a request body (both audited "invalid").
// A body that is not a JSON object: kMalformed, 400 "invalid_json".
Status NotJsonObject();
// A body over the configured limit: kTooLarge, 413 "payload_too_large".
Status PayloadTooLarge(int64_t limit_bytes);

// Which part of a request was over its limit. HTTP gives each its own status, while the
// domain has one code for all of them (kTooLarge), so the part travels beside it.
enum class RequestPart {
  kBody,     // 413 "payload_too_large" (what ErrorReply gives kTooLarge)
  kTarget,   // 414 "uri_too_long": the path and query string (RFC 9110 15.5.15)
  kHeaders,  // 431 "headers_too_large": the header fields (RFC 6585 5)
};

// The answer to a request refused for its size. REQUIRES: status.code() == kTooLarge.
Reply TooLargeReply(const Status& status, RequestPart part);

// 403 "csrf_required": a state-changing request authenticated by the session cookie
// alone, without the CSRF header (browser_session.h). REQUIRES: kPermissionDenied.
Reply CsrfRequiredReply(const Status& status);

}  // namespace telerad::api
