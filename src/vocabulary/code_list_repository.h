// CodeListRepository: the diagnosis code lists. Thread-safe.
#pragma once

#include <vector>

#include "src/base/audit_entry.h"
#include "src/base/status.h"
#include "src/vocabulary/diagnosis_code.h"

namespace telerad {

class CodeListRepository {
 public:
  virtual ~CodeListRepository() = default;

  // At most `query.limit` codes matching `query`: a code whose code or titles hold every
  // word of `query.text` (case-insensitive, Cyrillic included), or whose code starts
  // with the text. Ranked: the exact code first, then codes starting with the text,
  // then codes whose title has a word starting with the text, then the rest; by system
  // and code within a rank.
  virtual Result<std::vector<DiagnosisCode>> Search(const CodeQuery& query) = 0;

  // Replaces the whole list of `system` with `codes` (all of that system, codes unique)
  // in one transaction with `audit`; how many codes it now holds.
  virtual Result<int> Replace(IcdSystem system, const std::vector<DiagnosisCode>& codes,
                              AuditEntry& audit) = 0;
};

}  // namespace telerad
