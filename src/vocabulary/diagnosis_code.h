// DiagnosisCode: one code of a classification the server holds, with its titles.
#pragma once

#include <optional>
#include <string>

#include "src/base/icd_code.h"

namespace telerad {

struct DiagnosisCode {
  IcdSystem system = IcdSystem::kIcd10;
  std::string code;  // normalised: trimmed, upper case
  std::string title_mn;
  std::string title_en;
};

// "icd10" / "icd11": the API's and the database's names of the systems.
const char* ToString(IcdSystem system);
std::optional<IcdSystem> ParseIcdSystem(const std::string& name);

// A search of a code list.
struct CodeQuery {
  std::optional<IcdSystem> system;  // unset: every system
  // Lower-cased words (FoldCase), each of which must occur in the code or a title; the
  // whole text, upper-cased, also matches as a code prefix. Empty: every code.
  std::string text;
  int limit = 20;
};

}  // namespace telerad
