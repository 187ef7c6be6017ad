#include "src/pg/pg_code_list_repository.h"

#include "src/pg/pg_audit_insert.h"
#include "src/pg/pg_pool.h"
#include "src/pg/pg_row.h"

namespace telerad {
namespace {

// The text a search looks in; the same expression as the trigram index of schema 0015,
// so the planner can use it.
constexpr const char* kSearchText = "lower(code || ' ' || title_mn || ' ' || title_en)";
// The titles with punctuation turned into spaces, after a space: " word" then starts a
// word wherever it stood ("(пневмоторакс)", "Malignant neoplasm: Brain").
constexpr const char* kTitleWords =
    "(' ' || translate(lower(title_mn || ' ' || title_en), ',.;:()[]/-', '          '))";

// `text` as a literal inside a LIKE pattern (backslash is LIKE's default escape).
std::string LikeEscaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string UpperAscii(std::string text) {
  for (char& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

}  // namespace

PgCodeListRepository::PgCodeListRepository(PgPool& pool) : pool_(pool) {
  pool_.Prepare("code_list_delete", "DELETE FROM diagnosis_code WHERE system = $1");
  // libpqxx 6 binds no arrays: the columns travel as array literals (TextArrayLiteral).
  pool_.Prepare("code_list_insert",
                "INSERT INTO diagnosis_code (system, code, title_mn, title_en)"
                " SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])");
}

// The statement depends on how many words the text has (at most kMaxCodeSearchWords,
// CodeListService), so it is built here with one parameter per word.
Result<std::vector<DiagnosisCode>> PgCodeListRepository::Search(const CodeQuery& q) {
  std::vector<std::string> params;
  auto param = [&params](std::string value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  };
  std::string where = "TRUE";
  if (q.system) where += " AND system = " + param(ToString(*q.system));
  std::string order = "system, code";
  if (!q.text.empty()) {
    const std::string code = UpperAscii(q.text);
    const std::string exact = param(code);
    const std::string prefix = param(LikeEscaped(code) + "%");
    std::string words;
    for (const std::string& word : Words(q.text))
      words += " AND " + std::string(kSearchText) + " LIKE " + param("%" + LikeEscaped(word) + "%");
    where += " AND (code LIKE " + prefix + " OR (TRUE" + words + "))";
    order = "CASE WHEN code = " + exact + " THEN 0 WHEN code LIKE " + prefix + " THEN 1 WHEN " +
            kTitleWords + " LIKE " + param("% " + LikeEscaped(q.text) + "%") +
            " THEN 2 ELSE 3 END, " + order;
  }
  const std::string sql = "SELECT system, code, title_mn, title_en FROM diagnosis_code WHERE " +
                          where + " ORDER BY " + order + " LIMIT " + std::to_string(q.limit);
  std::vector<DiagnosisCode> found;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    found.clear();
    for (const auto& row : txn.exec_params(sql, pqxx::prepare::make_dynamic_params(params))) {
      DiagnosisCode c;
      c.system = ParseIcdSystem(row[0].as<std::string>()).value_or(IcdSystem::kIcd10);
      c.code = row[1].as<std::string>();
      c.title_mn = row[2].as<std::string>();
      c.title_en = row[3].as<std::string>();
      found.push_back(std::move(c));
    }
  });
  if (!s.ok()) return s;
  return found;
}

Result<int> PgCodeListRepository::Replace(IcdSystem system, const std::vector<DiagnosisCode>& codes,
                                          AuditEntry& audit) {
  std::vector<std::string> code, title_mn, title_en;
  for (const DiagnosisCode& c : codes) {
    code.push_back(c.code);
    title_mn.push_back(c.title_mn);
    title_en.push_back(c.title_en);
  }
  const std::string codes_literal = TextArrayLiteral(code);
  const std::string mn_literal = TextArrayLiteral(title_mn);
  const std::string en_literal = TextArrayLiteral(title_en);
  int count = 0;
  Status s = pool_.Run([&](pqxx::work& txn) {
    txn.exec_prepared("code_list_delete", ToString(system));
    count = static_cast<int>(txn.exec_prepared("code_list_insert", ToString(system), codes_literal,
                                               mn_literal, en_literal)
                                 .affected_rows());
    audit.id = InsertAudit(txn, audit);
  });
  if (!s.ok()) return s;
  return count;
}

}  // namespace telerad
