// Fuzzes the cursor decoders: worklist and inbox (src/pg/pg_worklist_query.h), audit log
// and e-examinations (src/pg/pg_cursor.h). A cursor comes from the client; each part a
// decoder accepts goes to PostgreSQL as a bigint parameter, so it must read as a 64-bit
// integer (or the client gets a 500 where a 400 was due).
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "src/pg/pg_cursor.h"
#include "src/pg/pg_worklist_query.h"

namespace {

bool IsBigint(const std::string& text) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  (void)std::strtoll(text.c_str(), &end, 10);
  return errno == 0 && end == text.c_str() + text.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string cursor(reinterpret_cast<const char*>(data), size);
  for (bool inbox : {false, true}) {
    telerad::CursorKey key;
    if (!telerad::DecodeCursor(cursor, inbox, &key)) continue;
    if (!IsBigint(key.priority) || !IsBigint(key.sla) || !IsBigint(key.id)) __builtin_trap();
    if (inbox && key.not_critical != "true" && key.not_critical != "false") __builtin_trap();
  }
  std::string at, id;
  if (telerad::ParseAuditCursor(cursor, &at, &id) && !(IsBigint(at) && IsBigint(id)))
    __builtin_trap();
  if (telerad::ParseIdCursor(cursor, &id) && !IsBigint(id)) __builtin_trap();
  return 0;
}
