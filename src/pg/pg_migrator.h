// PgMigrator: applies schema/NNNN_name.sql files in number order, once each.
//
// Each file runs in its own transaction together with its row in schema_migration,
// under a transaction-level advisory lock, so several servers starting at once apply
// each migration exactly once. Files already recorded are skipped; applied files must
// never be edited (a new numbered file is the only way to change the schema). After the
// files, the application role gets its privileges again (pg_app_grants.h).
#pragma once

#include <string>

#include "src/base/status.h"

namespace telerad {

class PgPool;

// An arbitrary constant shared by every telerad process: the migration lock.
constexpr long long kMigrationLockKey = 0x7e1e4ad0001LL;

class PgMigrator {
 public:
  // `app_role`: the role to grant the server's privileges to after migrating (config
  // db_app_role); empty: grant nothing (tests of the repositories).
  PgMigrator(PgPool& pool, std::string schema_dir, std::string app_role = "");

  // Applies what is missing; returns how many files ran. kInvalidArgument for a badly
  // named file or an unreadable folder, kUnavailable if the database is down, kInternal
  // if a migration fails (it is rolled back and later ones are not tried),
  // kFailedPrecondition if app_role cannot be the application role (GrantAppPrivileges).
  Result<int> Apply();

  // How many files of the folder are not applied yet (all of them on an empty database).
  // Needs only SELECT on schema_migration: the application role asks it at start-up.
  Result<int> Pending();

 private:
  PgPool& pool_;
  const std::string schema_dir_;
  const std::string app_role_;
};

}  // namespace telerad
