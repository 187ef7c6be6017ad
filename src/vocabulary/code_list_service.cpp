#include "src/vocabulary/code_list_service.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "src/base/text.h"
#include "src/vocabulary/fold_case.h"

namespace telerad {
namespace {

// A code echoed in a message only if it is short, printable ASCII (never arbitrary input).
std::string Shown(const std::string& code) {
  const bool printable =
      !code.empty() && code.size() <= 16 && std::all_of(code.begin(), code.end(), [](char c) {
        return c > 32 && c < 127 && c != '"' && c != '<' && c != '>';
      });
  return printable ? " " + code : "";
}

Status RowError(const std::string& unit, int line, const std::string& what) {
  return Status::Unprocessable(unit + " " + std::to_string(line) + ": " + what);
}

// A title checked and trimmed; "" for a valid one, else what is wrong with it.
std::string CheckTitle(std::string& title, const char* field) {
  title = Trimmed(title);
  if (title.size() > kMaxCodeTitleBytes)
    return std::string("'") + field + "' is longer than 500 bytes";
  if (std::any_of(title.begin(), title.end(),
                  [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    return std::string("'") + field + "' contains control characters";
  return "";
}

}  // namespace

CodeListService::CodeListService(CodeListRepository& codes) : codes_(codes) {}

Result<std::vector<DiagnosisCode>> CodeListService::Search(const Principal&,
                                                           const std::optional<std::string>& system,
                                                           const std::string& text,
                                                           std::optional<int> limit) {
  CodeQuery query;
  if (system) {
    query.system = ParseIcdSystem(*system);
    if (!query.system) return Status::InvalidArgument("'system' must be icd10 or icd11");
  }
  query.limit = limit.value_or(kDefaultCodeSearchLimit);
  if (query.limit < 1 || query.limit > kMaxCodeSearchLimit)
    return Status::InvalidArgument("'limit' must be 1 to 50");
  if (text.size() > kMaxCodeSearchBytes)
    return Status::InvalidArgument("'q' must be at most 100 bytes");
  // Words separated by single spaces, so the repository can split on them.
  std::string words;
  size_t count = 0;
  bool in_word = false;
  for (char c : FoldCase(text)) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      in_word = false;
      continue;
    }
    if (!in_word && !words.empty()) words += ' ';
    if (!in_word) ++count;
    in_word = true;
    words += c;
  }
  if (count > kMaxCodeSearchWords) return Status::InvalidArgument("'q' must be at most 8 words");
  query.text = words;
  return codes_.Search(query);
}

Result<int> CodeListService::Replace(const Principal& who, const std::string& system_name,
                                     const std::vector<CodeRow>& rows, const std::string& unit,
                                     AuditEntry& audit) {
  if (who.role != Role::kAdmin) return Status::PermissionDenied("only admins load code lists");
  const std::optional<IcdSystem> system = ParseIcdSystem(system_name);
  if (!system) return Status::NotFound("no such code system (icd10, icd11)");
  if (rows.empty()) return Status::Unprocessable("a code list needs at least one code");
  if (rows.size() > kMaxCodeListSize)
    return Status::Unprocessable("a code list holds at most 50000 codes");
  const char* system_label = *system == IcdSystem::kIcd10 ? "ICD-10" : "ICD-11";
  std::vector<DiagnosisCode> codes;
  codes.reserve(rows.size());
  std::map<std::string, int> first_line;
  for (const CodeRow& row : rows) {
    DiagnosisCode c;
    c.system = *system;
    c.code = Trimmed(row.code);
    std::transform(c.code.begin(), c.code.end(), c.code.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
    if (ClassifyIcdCode(c.code) != system)
      return RowError(unit, row.line,
                      "not an " + std::string(system_label) + " code" +
                          (Shown(c.code).empty() ? "" : ":" + Shown(c.code)));
    auto [seen, added] = first_line.emplace(c.code, row.line);
    if (!added)
      return RowError(
          unit, row.line,
          "code" + Shown(c.code) + " repeats " + unit + " " + std::to_string(seen->second));
    c.title_mn = row.title_mn;
    c.title_en = row.title_en;
    for (auto [title, field] :
         {std::pair{&c.title_mn, "title_mn"}, std::pair{&c.title_en, "title_en"}})
      if (std::string wrong = CheckTitle(*title, field); !wrong.empty())
        return RowError(unit, row.line, wrong);
    if (c.title_mn.empty() && c.title_en.empty())
      return RowError(unit, row.line, "needs 'title_mn' or 'title_en'");
    codes.push_back(std::move(c));
  }
  audit.detail = "codes=" + std::to_string(codes.size());
  return codes_.Replace(*system, codes, audit);
}

}  // namespace telerad
