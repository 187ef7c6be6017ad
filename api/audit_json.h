// The JSON of an audit trail entry.
#pragma once

#include <nlohmann/json.hpp>

#include "src/audit/audit_repository.h"

namespace telerad::api {

// An audit entry: at, username, role, action, object_type, object_id, remote_addr, outcome.
nlohmann::json AuditEntryJson(const AuditEntry& entry);

}  // namespace telerad::api
