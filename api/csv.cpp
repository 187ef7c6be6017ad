#include "api/csv.h"

namespace telerad::api {

std::string CsvField(const std::string& value) {
  // A leading = + - @ would make a spreadsheet evaluate the cell as a formula (CSV
  // injection, e.g. through a facility name an admin typed). Our figures are never
  // negative, so such text gets a leading apostrophe, which spreadsheets do not show.
  std::string text = value;
  if (!text.empty() && std::string("=+-@").find(text[0]) != std::string::npos) text = "'" + text;
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CsvDocument(const std::vector<std::vector<std::string>>& rows) {
  std::string out = kUtf8Bom;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      out += CsvField(row[i]);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace telerad::api
