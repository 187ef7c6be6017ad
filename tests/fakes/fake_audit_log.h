// FakeAuditLog: the audit trail rows the fake repositories append with their changes, as
// the PostgreSQL repositories append them in the change's own transaction
// (src/pg/pg_audit_insert.h). A fake appends first and changes its state only when the
// append succeeded: its "transaction" is all or nothing, like the database's.
//
// Each fake owns one; FakeEnv and tests that look at the whole trail point several fakes
// at one shared log. Not thread-safe, like the fakes.
#pragma once

#include <vector>

#include "src/base/audit_entry.h"
#include "src/base/status.h"

namespace telerad {

struct FakeAuditLog {
  std::vector<AuditEntry> entries;
  // Every append fails while set, as an insert the database refuses (a full disk, a
  // constraint): the change it came with must then not happen.
  bool fail = false;

  // Appends `entry` and sets its id, or fails.
  Status Append(AuditEntry& entry) {
    if (fail) return Status::Unavailable("fake audit append refused");
    entry.id = static_cast<int64_t>(entries.size()) + 1;
    entries.push_back(entry);
    return Status::Ok();
  }
};

}  // namespace telerad
