// The one table from telerad Status codes to C-STORE answers (PS3.4 B.2.3, PS3.7 C.5.x,
// API.md): the DIMSE status sent to the peer, and the `reason` label counted in
// telerad_dicom_store_failures_total, decided together so they cannot drift apart.
// Durable-storage failures are 0xA700, unindexable datasets 0xC000-range.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/ofstd/oftypes.h>

#include "src/base/status.h"
#include "src/monitoring/server_metrics.h"

namespace telerad::dicom {

constexpr Uint16 kStoreSuccess = 0x0000;
constexpr Uint16 kStoreOutOfResources = 0xA700;
constexpr Uint16 kStoreDataSetDoesNotMatchSopClass = 0xA900;
constexpr Uint16 kStoreCannotUnderstand = 0xC000;      // missing or malformed UIDs, unreadable
constexpr Uint16 kStoreConflictsWithIndex = 0xC001;    // UIDs already owned by another study
constexpr Uint16 kStoreRefusedNotAuthorized = 0x0124;  // PS3.7 C.5.x, "Refused: Not Authorized"
constexpr Uint16 kStoreSopClassNotSupported =
    0x0122;  // PS3.7 C.5.x, "Refused: SOP Class not supported"

// The response to one C-STORE request.
struct StoreAnswer {
  Uint16 status;
  StoreFailure reason;  // what the metrics count; unused when status is kStoreSuccess
};

// The answer when the core (IngestService, the FileStore) decided with `code`.
StoreAnswer StoreAnswerFor(StatusCode code);

// The answers the door decides itself, before the core sees the data set.
// The class is not one we accept, or not the one negotiated for the context.
constexpr StoreAnswer kAnswerSopClassNotSupported = {kStoreSopClassNotSupported,
                                                     StoreFailure::kSopClass};
// The data set's SOP class differs from the request's.
constexpr StoreAnswer kAnswerSopClassMismatch = {kStoreDataSetDoesNotMatchSopClass,
                                                 StoreFailure::kSopClass};
// The data set cannot be parsed, or names another instance than the request.
constexpr StoreAnswer kAnswerCannotUnderstand = {kStoreCannotUnderstand, StoreFailure::kInvalid};
// The data set could not be written to staging (disk full): the sender retries later.
constexpr StoreAnswer kAnswerNotWritten = {kStoreOutOfResources, StoreFailure::kStorage};
// An unexpected failure (out of memory): nothing is indexed, the sender retries later.
constexpr StoreAnswer kAnswerInternalError = {kStoreOutOfResources, StoreFailure::kOther};

}  // namespace telerad::dicom
