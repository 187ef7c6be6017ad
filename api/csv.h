// CSV for spreadsheet programs (RFC 4180): fields quoted when they hold a comma, quote or
// line break, CRLF line ends, and a UTF-8 byte order mark first, without which Excel
// reads Cyrillic labels as Windows-1252.
#pragma once

#include <string>
#include <vector>

namespace telerad::api {

inline constexpr const char* kUtf8Bom = "\xEF\xBB\xBF";

std::string CsvField(const std::string& value);

// A whole document: BOM, then each row on its own CRLF-terminated line.
std::string CsvDocument(const std::vector<std::vector<std::string>>& rows);

}  // namespace telerad::api
