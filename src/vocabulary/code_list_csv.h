// Reading an admin's code list upload. A list arrives as CSV (RFC 4180: a header row
// `code,title_mn,title_en`, fields quoted when they hold a comma, quote or line break,
// CRLF or LF line ends, an optional UTF-8 byte order mark as spreadsheets write it) or
// as JSON, which the HTTP door reads into the same rows.
//
// No CSV library is in the stack (Debian 12's libcsv would be a new dependency for
// three columns), so the reader is the small state machine below.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "src/base/status.h"

namespace telerad {

// One row of an uploaded list as written, before the checks of CodeListService.
struct CodeRow {
  int line = 0;  // where the row starts: the CSV line, or the JSON item's number (from 1)
  std::string code;
  std::string title_mn;
  std::string title_en;
};

// The rows of a CSV list after its header; blank lines are skipped. kUnprocessable
// naming the line for a missing or different header, an unclosed quote, a quote inside
// an unquoted field, text after a closing quote, or a row without exactly three fields.
Result<std::vector<CodeRow>> ReadCodeListCsv(std::string_view text);

}  // namespace telerad
