// QIDO-RS (DICOM PS3.18 10.6): a search's matching keys, paging and extra attributes, read
// from the query parameters of /dicomweb/studies[/{s}/series[/{se}]/instances]. The parser
// is pure; the repository (QidoRepository) turns a QidoQuery into one indexed statement.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/base/status.h"

namespace telerad {

enum class QidoLevel { kStudy, kSeries, kInstance };

// Answers at most this many matches per request: the default and the largest `limit`.
constexpr int kQidoMaxLimit = 1000;

// A DICOM attribute this server knows by keyword. `indexed_at`: the level whose index
// row holds it (an answer at that level or below carries it from the index, never
// from a file); nullopt when only the stored metadata has it.
struct QidoAttribute {
  uint32_t tag;
  const char* keyword;
  const char* vr;
  std::optional<QidoLevel> indexed_at;
};

// The attribute with this keyword (case-sensitive, as PS3.6 spells it) or tag, or nullptr.
const QidoAttribute* FindQidoAttributeByKeyword(std::string_view keyword);
const QidoAttribute* FindQidoAttributeByTag(uint32_t tag);

// A text matching key (PS3.4 C.2.2.2): `value` as sent, with the universal matching
// characters `*` (any run) and `?` (one character) when `wildcard` is set.
struct TextMatch {
  std::string value;
  bool wildcard = false;
};

// A StudyDate range, inclusive, as ISO dates "YYYY-MM-DD"; an open end is nullopt.
struct DateRange {
  std::optional<std::string> from;
  std::optional<std::string> to;
};

struct QidoQuery {
  QidoLevel level = QidoLevel::kStudy;
  // From the path: the study (series and instance searches) and series (instances).
  std::string path_study_uid;
  std::string path_series_uid;

  // Study keys.
  std::vector<std::string> study_uids;    // any of (UID list matching)
  std::optional<TextMatch> patient_name;  // case-insensitive
  std::optional<TextMatch> patient_id;    // case-sensitive
  std::optional<TextMatch> accession_number;
  std::optional<TextMatch> study_description;  // case-insensitive
  std::optional<DateRange> study_date;
  std::vector<std::string> modalities_in_study;  // any of
  // Series keys.
  std::vector<std::string> series_uids;
  std::optional<std::string> modality;
  std::optional<int> series_number;
  // Instance keys.
  std::vector<std::string> sop_instance_uids;
  std::optional<std::string> sop_class_uid;
  std::optional<int> instance_number;

  // fuzzymatching=true: a PatientName value matches the start of any name component
  // (family, given, middle… after '^', a space or '='), not only the whole name.
  bool fuzzy_matching = false;
  int limit = kQidoMaxLimit;
  int offset = 0;

  // includefield: tags to add to the level's defaults; `include_all` adds every
  // attribute of the stored metadata that is not bulk data.
  std::vector<uint32_t> include_tags;
  bool include_all = false;

  // Whether the answer needs the stored metadata of a representative instance (an
  // includefield beyond what the index holds).
  bool NeedsMetadata() const;
};

// One query parameter, percent-decoded.
using QueryParam = std::pair<std::string, std::string>;

// The search at `level` under the path's UIDs, from its parameters. kInvalidArgument
// naming the parameter for an unknown key, a key of a lower level than the search's, a
// malformed value (date, number, UID, limit outside 1..1000, negative offset) or an
// unknown includefield.
Result<QidoQuery> ParseQidoQuery(QidoLevel level, std::string path_study_uid,
                                 std::string path_series_uid,
                                 const std::vector<QueryParam>& params);

// The SQL LIKE pattern (backslash escape) of a DICOM wildcard value: `*` → `%`, `?` → `_`,
// and the LIKE metacharacters `%`, `_` and `\` escaped. `?` stands for one character,
// which LIKE's `_` also is in a UTF-8 database (a character, not a byte).
std::string WildcardToLikePattern(std::string_view value);

}  // namespace telerad
