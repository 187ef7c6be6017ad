// Fuzzes the reader of an admin's CSV code list (src/vocabulary/code_list_csv.h), which
// reads a request body. Rows it answers start on increasing lines after the header, and
// every line it names in an error lies within the text.
#include <algorithm>
#include <cstdint>
#include <string>

#include "src/vocabulary/code_list_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n')) +
                    static_cast<int>(std::count(text.begin(), text.end(), '\r'));
  auto rows = telerad::ReadCodeListCsv(text);
  if (!rows.ok()) {
    const std::string& message = rows.status().message();
    if (message.rfind("line ", 0) != 0) __builtin_trap();
    if (std::stoi(message.substr(5)) > lines) __builtin_trap();
    return 0;
  }
  int previous = 1;
  for (const telerad::CodeRow& row : *rows) {
    if (row.line <= previous || row.line > lines) __builtin_trap();
    previous = row.line;
  }
  return 0;
}
