// The application role's privileges: what `telerad serve` may do in the database, granted
// by the owner at the end of every `telerad migrate` run (so tables a later schema file
// adds are covered the first time it is applied).
//
// The role gets SELECT, INSERT, UPDATE and DELETE on every table of the public schema and
// USAGE on its sequences; on the append-only tables (audit_event, report_addendum) only
// SELECT and INSERT, and on schema_migration only SELECT (serve checks the schema version).
// Never TRUNCATE, never REFERENCES or TRIGGER, never CREATE on the schema. The privileges
// are recomputed from scratch each time, so a privilege granted by hand is taken back.
#pragma once

#include <string>

#include "src/base/status.h"

namespace telerad {

class PgPool;

// Grants `app_role` exactly the privileges above. kFailedPrecondition when `app_role` is
// the connected role itself or a superuser (the grants would mean nothing); OK, with a
// logged warning, when the role does not exist (nothing to grant to yet).
Status GrantAppPrivileges(PgPool& pool, const std::string& app_role);

}  // namespace telerad
