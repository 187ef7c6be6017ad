// AuditRepository: the append-only audit trail (schema 0003: no UPDATE or DELETE is
// possible on audit_event). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "src/base/audit_entry.h"
#include "src/base/model.h"
#include "src/base/status.h"

namespace telerad {

// Unset fields do not filter. Newest first.
struct AuditQuery {
  std::optional<std::string> username;
  std::optional<std::string> action;
  std::optional<std::string> object_id;
  std::optional<TimePoint> from;
  std::optional<TimePoint> to;
  int limit = 100;
  std::optional<std::string> cursor;
};

struct AuditPage {
  std::vector<AuditEntry> items;
  std::optional<std::string> next_cursor;
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;

  // Appends `entry` (its id is assigned; an unset `at` becomes the database's now()).
  // `durable` false lets the commit return before the WAL reaches disk: for records of
  // reads, where a crash in the next fraction of a second losing the record is an
  // accepted trade for not paying a disk flush on every page view. (A change's own entry
  // is inserted by its repository, in the change's transaction.)
  virtual Status Append(const AuditEntry& entry, bool durable) = 0;

  // Appends `entries` in one transaction, not waiting for the WAL flush (records of reads).
  virtual Status AppendReads(const std::vector<AuditEntry>& entries) = 0;

  // kInvalidArgument for a cursor it did not issue.
  virtual Result<AuditPage> List(const AuditQuery& query) = 0;
};

}  // namespace telerad
