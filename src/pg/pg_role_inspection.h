// What the connected role may do beyond the server's needs: `telerad serve` refuses to run
// as a role that could rewrite the audit trail or the schema (README, "Database roles").
#pragma once

#include "src/base/status.h"
#include "src/pg/pg_database.h"

namespace telerad {

class PgPool;

// REQUIRES: the schema is migrated (audit_event exists).
Result<DatabaseRole> InspectConnectedRole(PgPool& pool);

}  // namespace telerad
