// ICD code formats: which classification a code string belongs to, if any.
//
// Reports carry ICD-10 codes today and ICD-11 as it is introduced (DESIGN.md), in one
// list. The two formats cannot be confused: an ICD-10 code's second character is a
// digit, an ICD-11 code's is a letter. Only the format is checked, not that the code
// exists in the classification (that needs WHO's tables, which telerad does not ship).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/base/status.h"

namespace telerad {

enum class IcdSystem { kIcd10, kIcd11 };

// ICD-10 (WHO and national modifications): a letter, two characters (digit, then digit
// or letter), optionally "." and 1..4 more, e.g. "J18.9", "S72.001". ICD-11 MMS: a stem
// code such as "CA40.0" or "2C25.0" (4 characters, the second a letter, the third a
// digit; "I" and "O" never appear), optionally postcoordinated with extension codes
// ("&XH7SY1") or other stems ("/"). Letters must be upper case.
std::optional<IcdSystem> ClassifyIcdCode(std::string_view code);

// The most codes one report or e-examination carries.
inline constexpr size_t kMaxIcdCodes = 20;

// Checks and normalises ICD codes in place: trimmed, upper-cased and de-duplicated (in
// order), then each must be an ICD-10 or ICD-11 code (above), at most kMaxIcdCodes.
// kUnprocessable otherwise; the message names a bad code only when it is short and safe.
Status NormaliseIcdCodes(std::vector<std::string>& codes);

}  // namespace telerad
