// FakeCodeListRepository: the diagnosis code lists in memory, for unit tests. Matching
// and ranking follow PgCodeListRepository (tests/contract/code_list_repository_contract.h):
// FoldCase stands in for PostgreSQL's lower(). Not thread-safe.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "src/vocabulary/code_list_repository.h"
#include "src/vocabulary/fold_case.h"
#include "tests/fakes/fake_audit_log.h"

namespace telerad {

class FakeCodeListRepository : public CodeListRepository {
 public:
  Result<std::vector<DiagnosisCode>> Search(const CodeQuery& q) override {
    if (outage) return Status::Unavailable("fake outage");
    std::string upper = q.text;
    for (char& c : upper)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    std::vector<std::pair<int, DiagnosisCode>> ranked;
    for (const auto& [key, c] : codes) {
      if (q.system && c.system != *q.system) continue;
      const bool prefix = c.code.compare(0, upper.size(), upper) == 0;
      const std::string text = FoldCase(c.code + " " + c.title_mn + " " + c.title_en);
      bool words = true;
      for (size_t start = 0; start < q.text.size();) {
        size_t end = std::min(q.text.find(' ', start), q.text.size());
        words = words && text.find(q.text.substr(start, end - start)) != std::string::npos;
        start = end + 1;
      }
      if (!prefix && !words) continue;
      int rank = 3;
      if (c.code == upper)
        rank = 0;
      else if (prefix)
        rank = 1;
      else if (TitleWords(c).find(" " + q.text) != std::string::npos)
        rank = 2;
      ranked.emplace_back(q.text.empty() ? 0 : rank, c);
    }
    // By rank, then system name, then code, as PostgreSQL orders them: the names as
    // strings (ToString's pointers would order by address, which compilers lay out
    // differently).
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      return std::make_tuple(a.first, std::string(ToString(a.second.system)), a.second.code) <
             std::make_tuple(b.first, std::string(ToString(b.second.system)), b.second.code);
    });
    std::vector<DiagnosisCode> out;
    for (const auto& [rank, c] : ranked)
      if (static_cast<int>(out.size()) < q.limit) out.push_back(c);
    return out;
  }

  Result<int> Replace(IcdSystem system, const std::vector<DiagnosisCode>& list,
                      AuditEntry& audit) override {
    if (Status appended = audit_log->Append(audit); !appended.ok()) return appended;
    for (auto it = codes.begin(); it != codes.end();)
      it = it->second.system == system ? codes.erase(it) : std::next(it);
    for (const DiagnosisCode& c : list) codes[{ToString(system), c.code}] = c;
    return static_cast<int>(list.size());
  }

  bool outage = false;
  FakeAuditLog own_audit_log;
  FakeAuditLog* audit_log = &own_audit_log;
  std::map<std::pair<std::string, std::string>, DiagnosisCode> codes;  // by (system, code)

 private:
  // The titles folded, punctuation as spaces, after a space (PgCodeListRepository).
  static std::string TitleWords(const DiagnosisCode& c) {
    std::string words = " " + FoldCase(c.title_mn + " " + c.title_en);
    for (char& ch : words)
      if (std::string_view(",.;:()[]/-").find(ch) != std::string_view::npos) ch = ' ';
    return words;
  }
};

}  // namespace telerad
