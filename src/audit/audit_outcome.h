// AuditOutcome: the one vocabulary of the audit trail's `outcome` column, whoever writes
// the entry (the HTTP door, `telerad user add`, the report delivery worker). A pure
// function, safe from any thread.
#pragma once

#include "src/base/status.h"

namespace telerad {

// The outcome recorded for an action that ended with `status`:
//   "success"          OK
//   "invalid"          kInvalidArgument, kMalformed, kTooLarge, kUnprocessable,
//                      kNotAcceptable, kUnsupportedMediaType (the request itself was
//                      wrong)
//   "unauthenticated"  kUnauthenticated
//   "denied"           kPermissionDenied
//   "not_found"        kNotFound
//   "conflict"         kConflict, kFailedPrecondition (wrong state, stale version)
//   "throttled"        kTooManyRequests
//   "error"            kUnavailable, kResourceExhausted, kInternal (the server failed)
// The strings are stored in audit_event and read by auditors: add, never rename.
const char* AuditOutcome(const Status& status);

}  // namespace telerad
