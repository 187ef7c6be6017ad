// Fuzzes the QIDO-RS query parser (src/imaging/qido_query.h): the input is a query string
// "key=value&key=value" (already percent-decoded, as the door hands it over). Whatever the
// parser accepts must keep its promises (limit 1..1000, offset >= 0, valid UIDs, ordered
// date ranges), build a search statement whose placeholders all have parameters, and
// answer valid JSON; the LIKE pattern of any value must escape LIKE's metacharacters.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/qido_json.h"
#include "src/base/uid.h"
#include "src/imaging/qido_query.h"
#include "src/pg/pg_qido_repository.h"

namespace {

std::vector<telerad::QueryParam> Split(const std::string& text) {
  std::vector<telerad::QueryParam> params;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('&', start);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(start, end - start);
    const size_t eq = item.find('=');
    params.emplace_back(item.substr(0, eq), eq == std::string::npos ? "" : item.substr(eq + 1));
    start = end + 1;
  }
  return params;
}

void Check(const telerad::QidoQuery& q) {
  if (q.limit < 1 || q.limit > telerad::kQidoMaxLimit || q.offset < 0) __builtin_trap();
  for (const auto* list : {&q.study_uids, &q.series_uids, &q.sop_instance_uids})
    for (const std::string& uid : *list)
      if (!telerad::IsValidUid(uid)) __builtin_trap();
  if (q.study_date && q.study_date->from && q.study_date->to &&
      *q.study_date->from > *q.study_date->to)
    __builtin_trap();
  const telerad::QidoStatement st = telerad::BuildQidoSearch(q, 7);
  if (st.sql.find("$" + std::to_string(st.params.size() + 1)) != std::string::npos)
    __builtin_trap();
  telerad::QidoMatch match;
  match.study_uid = "1.2";
  match.patient_name = q.patient_name ? q.patient_name->value : "";
  match.metadata_json = q.patient_id ? q.patient_id->value : "{}";
  std::string answer;
  telerad::api::AppendQidoAnswer(answer, q, {match});
  if (!nlohmann::json::accept(answer)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // Every '%' and '_' of the pattern is escaped or stands for a wildcard.
  const std::string pattern = telerad::WildcardToLikePattern(text);
  size_t wildcards = 0, literal = 0;
  for (char c : text) wildcards += c == '*' || c == '?';
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;
      continue;
    }
    literal += pattern[i] == '%' || pattern[i] == '_';
  }
  if (literal != wildcards) __builtin_trap();

  const auto params = Split(text);
  for (telerad::QidoLevel level :
       {telerad::QidoLevel::kStudy, telerad::QidoLevel::kSeries, telerad::QidoLevel::kInstance}) {
    auto q = telerad::ParseQidoQuery(level, level == telerad::QidoLevel::kStudy ? "" : "1.2",
                                     level == telerad::QidoLevel::kInstance ? "1.2.3" : "", params);
    if (q.ok()) Check(*q);
  }
  return 0;
}
