#include "src/pg/pg_cursor.h"

namespace telerad {

bool ParseAuditCursor(const std::string& c, std::string* at, std::string* id) {
  const auto dot = c.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == c.size() || c.size() > 40) return false;
  *at = c.substr(0, dot);
  *id = c.substr(dot + 1);
  return at->find_first_not_of("0123456789") == std::string::npos && at->size() <= 18 &&
         id->find_first_not_of("0123456789") == std::string::npos && id->size() <= 18;
}

bool ParseIdCursor(const std::string& cursor, std::string* id) {
  if (cursor.empty() || cursor.size() > 18 ||
      cursor.find_first_not_of("0123456789") != std::string::npos)
    return false;
  *id = cursor;
  return true;
}

}  // namespace telerad
