#include "src/pg/pg_qido_repository.h"

#include <pqxx/pqxx>

#include "src/pg/pg_pool.h"
#include "src/pg/pg_row.h"

namespace telerad {
namespace {

// Columns 0..13 the study, 14..18 the series, 19..25 the instance, 26 the id whose
// metadata stands for the match (study, series or instance id by level).
constexpr const char* kStudyColumns =
    "s.study_uid, s.patient_name, s.patient_id,"
    " coalesce(to_char(s.patient_birth_date, 'YYYYMMDD'), ''), s.patient_sex,"
    " s.accession_number, coalesce(to_char(s.study_date, 'YYYYMMDD'), ''), s.study_time,"
    " s.referring_physician, s.dicom_study_id, s.description,"
    " array_to_string(s.modalities, '\\'), s.num_series, s.num_instances";
constexpr const char* kSeriesColumns =
    ", se.series_uid, se.modality, se.series_number, se.description, se.num_instances";
constexpr const char* kNoSeriesColumns = ", '', '', NULL::int, '', 0";
constexpr const char* kInstanceColumns =
    ", i.sop_class_uid, i.sop_instance_uid, i.instance_number, i.rows, i.columns,"
    " i.bits_allocated, i.number_of_frames";
constexpr const char* kNoInstanceColumns =
    ", '', '', NULL::int, NULL::int, NULL::int, NULL::int, NULL::int";

// The DICOM JSON of one instance per match, for a list of ids in the answer's order:
// one statement for the whole page, each lookup an index probe.
constexpr const char* kStudyMetadata =
    "SELECT (SELECT m.dicom_json FROM series se JOIN instance i ON i.series_id = se.id"
    " JOIN instance_metadata m ON m.instance_id = i.id WHERE se.study_id = x.id"
    " ORDER BY se.id, i.id LIMIT 1)"
    " FROM unnest($1::bigint[]) WITH ORDINALITY AS x(id, n) ORDER BY x.n";
constexpr const char* kSeriesMetadata =
    "SELECT (SELECT m.dicom_json FROM instance i JOIN instance_metadata m"
    " ON m.instance_id = i.id WHERE i.series_id = x.id ORDER BY i.id LIMIT 1)"
    " FROM unnest($1::bigint[]) WITH ORDINALITY AS x(id, n) ORDER BY x.n";
constexpr const char* kInstanceMetadata =
    "SELECT m.dicom_json FROM unnest($1::bigint[]) WITH ORDINALITY AS x(id, n)"
    " LEFT JOIN instance_metadata m ON m.instance_id = x.id ORDER BY x.n";

class Builder {
 public:
  // Adds a parameter and returns its placeholder ("$3").
  std::string Param(std::string value) {
    params_.push_back(std::move(value));
    return "$" + std::to_string(params_.size());
  }
  void Where(const std::string& condition) {
    where_ += where_.empty() ? " WHERE " : " AND ";
    where_ += condition;
  }
  // `column` compared with a text key: equality, or LIKE for a wildcard value; both
  // sides lower()ed when `fold_case` (lower() folds Cyrillic under C.UTF-8, and is
  // immutable, so lower($n) is folded into a constant the index can use).
  void Text(const std::string& column, const TextMatch& m, bool fold_case) {
    const std::string value = m.wildcard ? WildcardToLikePattern(m.value) : m.value;
    const std::string op = m.wildcard ? " LIKE " : " = ";
    if (fold_case)
      Where("lower(" + column + ")" + op + "lower(" + Param(value) + ")");
    else
      Where(column + op + Param(value));
  }
  // fuzzymatching: the value starts the name or any of its components (after '^', a
  // space, or '=' between the alphabetic, ideographic and phonetic groups).
  void FuzzyName(const TextMatch& m) {
    const std::string prefix = WildcardToLikePattern(m.value) + "%";
    std::string any;
    for (const char* start : {"", "%^", "% ", "%="}) {
      any += any.empty() ? "(" : " OR ";
      any += "lower(s.patient_name) LIKE lower(" + Param(start + prefix) + ")";
    }
    Where(any + ")");
  }
  void AnyOf(const std::string& column, const std::vector<std::string>& values) {
    if (!values.empty()) Where(column + " = ANY(" + Param(TextArrayLiteral(values)) + "::text[])");
  }

  std::string where_;
  std::vector<std::string> params_;
};

// A prefix search on the name (no leading wildcard, not fuzzy) is answered in the name
// index's order, so it reads only the rows it returns; any other study search newest first.
bool OrderedByName(const QidoQuery& q) {
  return q.patient_name && !q.fuzzy_matching && !q.patient_name->value.empty() &&
         q.patient_name->value[0] != '*' && q.patient_name->value[0] != '?';
}

std::optional<int> OptionalInt(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<int>();
}

std::vector<std::string> SplitBackslash(const std::string& s) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('\\', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) items.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return items;
}

QidoMatch RowToMatch(const pqxx::row& r) {
  QidoMatch m;
  m.study_uid = r[0].as<std::string>();
  m.patient_name = r[1].as<std::string>();
  m.patient_id = r[2].as<std::string>();
  m.patient_birth_date = r[3].as<std::string>();
  m.patient_sex = r[4].as<std::string>();
  m.accession_number = r[5].as<std::string>();
  m.study_date = r[6].as<std::string>();
  m.study_time = r[7].as<std::string>();
  m.referring_physician = r[8].as<std::string>();
  m.dicom_study_id = r[9].as<std::string>();
  m.study_description = r[10].as<std::string>();
  m.modalities = SplitBackslash(r[11].as<std::string>());
  m.num_series = r[12].as<int>();
  m.num_study_instances = r[13].as<int>();
  m.series_uid = r[14].as<std::string>();
  m.modality = r[15].as<std::string>();
  m.series_number = OptionalInt(r[16]);
  m.series_description = r[17].as<std::string>();
  m.num_series_instances = r[18].as<int>();
  m.sop_class_uid = r[19].as<std::string>();
  m.sop_instance_uid = r[20].as<std::string>();
  m.instance_number = OptionalInt(r[21]);
  m.rows = OptionalInt(r[22]);
  m.columns = OptionalInt(r[23]);
  m.bits_allocated = OptionalInt(r[24]);
  m.number_of_frames = OptionalInt(r[25]);
  return m;
}

}  // namespace

QidoStatement BuildQidoSearch(const QidoQuery& q, std::optional<int64_t> facility_id) {
  Builder b;
  const bool series = q.level != QidoLevel::kStudy;
  const bool instance = q.level == QidoLevel::kInstance;
  std::string sql = std::string("SELECT ") + kStudyColumns +
                    (series ? kSeriesColumns : kNoSeriesColumns) +
                    (instance ? kInstanceColumns : kNoInstanceColumns) +
                    (instance ? ", i.id"
                     : series ? ", se.id"
                              : ", s.id") +
                    " FROM study s";
  if (series) sql += " JOIN series se ON se.study_id = s.id";
  if (instance) sql += " JOIN instance i ON i.series_id = se.id";

  if (!q.path_study_uid.empty()) b.Where("s.study_uid = " + b.Param(q.path_study_uid));
  if (!q.path_series_uid.empty()) b.Where("se.series_uid = " + b.Param(q.path_series_uid));
  if (facility_id) b.Where("s.facility_id = " + b.Param(std::to_string(*facility_id)) + "::bigint");
  b.AnyOf("s.study_uid", q.study_uids);
  if (q.patient_name) {
    if (q.fuzzy_matching)
      b.FuzzyName(*q.patient_name);
    else
      b.Text("s.patient_name", *q.patient_name, true);
  }
  if (q.patient_id) b.Text("s.patient_id", *q.patient_id, false);
  if (q.accession_number) b.Text("s.accession_number", *q.accession_number, false);
  if (q.study_description) b.Text("s.description", *q.study_description, true);
  if (q.study_date) {
    if (q.study_date->from) b.Where("s.study_date >= " + b.Param(*q.study_date->from) + "::date");
    if (q.study_date->to) b.Where("s.study_date <= " + b.Param(*q.study_date->to) + "::date");
  }
  if (!q.modalities_in_study.empty())
    b.Where("s.modalities && " + b.Param(TextArrayLiteral(q.modalities_in_study)) + "::text[]");
  if (series) {
    b.AnyOf("se.series_uid", q.series_uids);
    if (q.modality) b.Where("se.modality = " + b.Param(*q.modality));
    if (q.series_number)
      b.Where("se.series_number = " + b.Param(std::to_string(*q.series_number)) + "::int");
  }
  if (instance) {
    b.AnyOf("i.sop_instance_uid", q.sop_instance_uids);
    if (q.sop_class_uid) b.Where("i.sop_class_uid = " + b.Param(*q.sop_class_uid));
    if (q.instance_number)
      b.Where("i.instance_number = " + b.Param(std::to_string(*q.instance_number)) + "::int");
  }
  sql += b.where_;
  switch (q.level) {
    case QidoLevel::kStudy:
      sql += OrderedByName(q) ? " ORDER BY lower(s.patient_name) USING ~<~, s.id"
                              : " ORDER BY s.study_date DESC NULLS LAST, s.id DESC";
      break;
    case QidoLevel::kSeries:
      sql += " ORDER BY se.series_number NULLS LAST, se.id";
      break;
    case QidoLevel::kInstance:
      sql += " ORDER BY se.series_number NULLS LAST, se.id, i.instance_number NULLS LAST, i.id";
      break;
  }
  // Both validated integers (ParseQidoQuery), written into the text so the planner
  // sees the row count.
  sql += " LIMIT " + std::to_string(q.limit) + " OFFSET " + std::to_string(q.offset);
  return {std::move(sql), std::move(b.params_)};
}

PgQidoRepository::PgQidoRepository(PgPool& pool) : pool_(pool) {}

Result<std::vector<QidoMatch>> PgQidoRepository::Search(const QidoQuery& query,
                                                        std::optional<int64_t> facility_id) {
  const QidoStatement st = BuildQidoSearch(query, facility_id);
  const bool metadata = query.NeedsMetadata();
  std::vector<QidoMatch> matches;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    matches.clear();
    // Unnamed: planned for the actual values, so a LIKE prefix pattern uses the index.
    pqxx::result rows = txn.exec_params(st.sql, pqxx::prepare::make_dynamic_params(st.params));
    std::vector<std::string> ids;
    matches.reserve(rows.size());
    for (const auto& row : rows) {
      matches.push_back(RowToMatch(row));
      ids.push_back(row[26].as<std::string>());
    }
    if (!metadata || matches.empty()) return;
    const char* sql = query.level == QidoLevel::kStudy    ? kStudyMetadata
                      : query.level == QidoLevel::kSeries ? kSeriesMetadata
                                                          : kInstanceMetadata;
    std::string id_array = "{";
    for (size_t i = 0; i < ids.size(); ++i) id_array += (i ? "," : "") + ids[i];
    id_array += "}";
    pqxx::result json = txn.exec_params(sql, id_array);
    for (size_t i = 0; i < json.size() && i < matches.size(); ++i)
      if (!json[i][0].is_null()) matches[i].metadata_json = json[i][0].as<std::string>();
  });
  if (!s.ok()) return s;
  return matches;
}

}  // namespace telerad
