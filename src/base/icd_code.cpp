#include "src/base/icd_code.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "src/base/text.h"

namespace telerad {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
// ICD-11 leaves out I and O, which read like 1 and 0.
bool IsIcd11Letter(char c) { return IsUpper(c) && c != 'I' && c != 'O'; }
bool IsIcd11Char(char c) { return IsDigit(c) || IsIcd11Letter(c); }

bool IsIcd10(std::string_view c) {
  if (c.size() < 3 || !IsUpper(c[0]) || !IsDigit(c[1]) || !(IsDigit(c[2]) || IsUpper(c[2])))
    return false;
  if (c.size() == 3) return true;
  if (c[3] != '.' || c.size() < 5 || c.size() > 8) return false;
  for (size_t i = 4; i < c.size(); ++i)
    if (!(IsDigit(c[i]) || IsUpper(c[i]))) return false;
  return true;
}

// One ICD-11 MMS stem code: "CA40", "2C25.0", "1A00.01". The first character is the
// chapter (1-9 or a letter); "X" starts extension codes, not stems.
bool IsIcd11Stem(std::string_view c) {
  if (c.size() < 4 || !(IsIcd11Char(c[0]) && c[0] != '0' && c[0] != 'X') || !IsIcd11Letter(c[1]) ||
      !IsDigit(c[2]) || !IsIcd11Char(c[3]))
    return false;
  if (c.size() == 4) return true;
  if (c[4] != '.' || c.size() < 6 || c.size() > 7) return false;
  for (size_t i = 5; i < c.size(); ++i)
    if (!IsIcd11Char(c[i])) return false;
  return true;
}

// An ICD-11 extension code: "X", a letter, then four characters, e.g. "XH7SY1".
bool IsIcd11Extension(std::string_view c) {
  if (c.size() != 6 || c[0] != 'X' || !IsIcd11Letter(c[1])) return false;
  for (size_t i = 2; i < c.size(); ++i)
    if (!IsIcd11Char(c[i])) return false;
  return true;
}

// A cluster: stems joined by "/", each followed by any number of "&extension".
bool IsIcd11(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  size_t start = 0;
  bool expect_stem = true;
  for (size_t i = 0; i <= code.size(); ++i) {
    if (i < code.size() && code[i] != '/' && code[i] != '&') continue;
    std::string_view part = code.substr(start, i - start);
    if (expect_stem ? !IsIcd11Stem(part) : !IsIcd11Extension(part)) return false;
    if (i < code.size()) expect_stem = code[i] == '/';
    start = i + 1;
  }
  return true;
}

}  // namespace

std::optional<IcdSystem> ClassifyIcdCode(std::string_view code) {
  if (IsIcd10(code)) return IcdSystem::kIcd10;
  if (IsIcd11(code)) return IcdSystem::kIcd11;
  return std::nullopt;
}

Status NormaliseIcdCodes(std::vector<std::string>& icd_codes) {
  if (icd_codes.size() > kMaxIcdCodes) return Status::Unprocessable("at most 20 ICD codes");
  std::vector<std::string> codes;
  for (const std::string& raw : icd_codes) {
    std::string code = Trimmed(raw);
    std::transform(code.begin(), code.end(), code.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
    if (!ClassifyIcdCode(code)) {
      // Echo the code only if it is short and printable ASCII (never arbitrary input).
      const bool printable =
          code.size() <= 16 && std::all_of(code.begin(), code.end(), [](char ch) {
            return ch > 32 && ch < 127 && ch != '"' && ch != '<' && ch != '>';
          });
      return Status::Unprocessable("not an ICD-10 or ICD-11 code" +
                                   (printable ? ": " + code : std::string()));
    }
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
  }
  icd_codes = std::move(codes);
  return Status::Ok();
}

}  // namespace telerad
