// PgMigrator: applies schema/NNNN_name.sql files in number order, once each.
//
// Each file runs in its own transaction together with its row in schema_migration,
// under a transaction-level advisory lock, so several servers starting at once apply
// each migration exactly once. Files already recorded are skipped; applied files must
// never be edited (a new numbered file is the only way to change the schema).
#pragma once

#include <string>

#include "src/base/status.h"

namespace telerad {

class PgPool;

class PgMigrator {
 public:
  PgMigrator(PgPool& pool, std::string schema_dir);

  // Applies what is missing; returns how many files ran. kInvalidArgument for a badly
  // named file or an unreadable folder, kUnavailable if the database is down, kInternal
  // if a migration fails (it is rolled back and later ones are not tried).
  Result<int> Apply();

 private:
  PgPool& pool_;
  const std::string schema_dir_;
};

}  // namespace telerad
