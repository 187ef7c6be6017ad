// The one table from telerad Status codes to C-STORE response statuses (PS3.4 B.2.3,
// API.md): durable-storage failures are 0xA700, unindexable datasets 0xC000-range.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/ofstd/oftypes.h>

#include "src/base/status.h"

namespace telerad::dicom {

constexpr Uint16 kStoreSuccess = 0x0000;
constexpr Uint16 kStoreOutOfResources = 0xA700;
constexpr Uint16 kStoreDataSetDoesNotMatchSopClass = 0xA900;
constexpr Uint16 kStoreCannotUnderstand = 0xC000;      // missing or malformed UIDs, unreadable
constexpr Uint16 kStoreConflictsWithIndex = 0xC001;    // UIDs already owned by another study
constexpr Uint16 kStoreRefusedNotAuthorized = 0x0124;  // PS3.7 C.5.x, "Refused: Not Authorized"
constexpr Uint16 kStoreSopClassNotSupported =
    0x0122;  // PS3.7 C.5.x, "Refused: SOP Class not supported"

Uint16 StoreStatusFor(const Status& status);

}  // namespace telerad::dicom
