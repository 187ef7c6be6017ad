// The opaque cursors of the audit log and the e-examination list: parsed here, apart
// from their repositories, so tests/fuzz reaches them without a database. (The worklist's
// cursor is in pg_worklist_query.h.) Only src/pg/ and tests include it.
#pragma once

#include <string>

namespace telerad {

// An audit cursor, "<at_micros>.<id>" (the last row's time and id in decimal). Each part
// goes to PostgreSQL as a bigint, so each is 1..18 digits. false (outputs unspecified)
// for anything else.
bool ParseAuditCursor(const std::string& cursor, std::string* at, std::string* id);

// A cursor that is the last row's id in decimal, 1..18 digits (e-examinations).
bool ParseIdCursor(const std::string& cursor, std::string* id);

}  // namespace telerad
