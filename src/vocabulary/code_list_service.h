// CodeListService: the diagnosis code lists that code entry searches (issue 14). Any
// signed-in role may search (reference data, no patient data); only admins replace a
// list, audited like facility changes. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "src/base/audit_entry.h"
#include "src/base/model.h"
#include "src/base/status.h"
#include "src/vocabulary/code_list_csv.h"
#include "src/vocabulary/code_list_repository.h"

namespace telerad {

// Limits of a search and of an uploaded list. A whole classification fits: WHO's ICD-10
// has about 12,000 codes, ICD-11 MMS about 17,000 stem codes.
inline constexpr int kDefaultCodeSearchLimit = 20;
inline constexpr int kMaxCodeSearchLimit = 50;
inline constexpr size_t kMaxCodeSearchBytes = 100;
inline constexpr size_t kMaxCodeSearchWords = 8;
inline constexpr size_t kMaxCodeListSize = 50000;
inline constexpr size_t kMaxCodeTitleBytes = 500;

class CodeListService {
 public:
  explicit CodeListService(CodeListRepository& codes);

  // Codes matching `text` (CodeListRepository::Search) in `system` ("icd10", "icd11";
  // unset: both), at most `limit` (default 20, 1-50). kInvalidArgument for an unknown
  // system, a limit out of range, or a text over 100 bytes or 8 words.
  Result<std::vector<DiagnosisCode>> Search(const Principal& who,
                                            const std::optional<std::string>& system,
                                            const std::string& text, std::optional<int> limit);

  // Replaces the whole list of `system` with `rows` (admins): kNotFound for an unknown
  // system; kUnprocessable naming the row's line (`unit` "line" or "item") for a code
  // that is not of the system (ClassifyIcdCode), a code given twice, a title over 500
  // bytes or with control characters, a row without any title; for no rows or more than
  // kMaxCodeListSize. Nothing is replaced then. How many codes the list now holds.
  Result<int> Replace(const Principal& who, const std::string& system,
                      const std::vector<CodeRow>& rows, const std::string& unit, AuditEntry& audit);

 private:
  CodeListRepository& codes_;
};

}  // namespace telerad
