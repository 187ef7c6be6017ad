// Audit(): the audit entry a test hands a change when the case does not look at the
// trail. The services and repositories take the change's entry as `AuditEntry&` (they
// set its id when they append it with the change); this binds a fresh temporary to it,
// which lives until the end of the full expression, as long as the call.
#pragma once

#include "src/base/audit_entry.h"

namespace telerad {

inline AuditEntry& Audit(AuditEntry&& entry = AuditEntry{}) { return entry; }

}  // namespace telerad
