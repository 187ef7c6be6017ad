// InsertAudit: appends one audit_event row inside the caller's transaction. Every
// repository write that changes patient data, accounts, facilities or KPI targets calls
// it in the same transaction as the change, so the change and its entry commit together
// or not at all: a crash between them cannot lose the entry, and a failed insert (a
// full disk, a constraint) rolls the change back and the client gets an error.
#pragma once

#include <pqxx/pqxx>

#include "src/base/audit_entry.h"

namespace telerad {

// Appends `entry` (an unset `at` becomes now(), the transaction's time) and returns the
// row's id. Throws as libpqxx does; the caller's transaction then rolls back.
int64_t InsertAudit(pqxx::transaction_base& txn, const AuditEntry& entry);

}  // namespace telerad
