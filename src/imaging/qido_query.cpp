#include "src/imaging/qido_query.h"

#include <array>
#include <cctype>
#include <charconv>

#include "src/base/uid.h"

namespace telerad {
namespace {

constexpr auto kStudy = QidoLevel::kStudy;
constexpr auto kSeries = QidoLevel::kSeries;
constexpr auto kInstance = QidoLevel::kInstance;

// The attributes QIDO-RS answers from the index (PS3.18 tables 10.6.3-3 to -5) and the
// ones a viewer commonly asks for with includefield, which come from the stored
// metadata. Keywords and VRs as PS3.6 has them.
constexpr std::array<QidoAttribute, 41> kAttributes{{
    {0x00080016, "SOPClassUID", "UI", kInstance},
    {0x00080018, "SOPInstanceUID", "UI", kInstance},
    {0x00080020, "StudyDate", "DA", kStudy},
    {0x00080021, "SeriesDate", "DA", std::nullopt},
    {0x00080022, "AcquisitionDate", "DA", std::nullopt},
    {0x00080023, "ContentDate", "DA", std::nullopt},
    {0x00080030, "StudyTime", "TM", kStudy},
    {0x00080031, "SeriesTime", "TM", std::nullopt},
    {0x00080050, "AccessionNumber", "SH", kStudy},
    {0x00080060, "Modality", "CS", kSeries},
    {0x00080061, "ModalitiesInStudy", "CS", kStudy},
    {0x00080070, "Manufacturer", "LO", std::nullopt},
    {0x00080080, "InstitutionName", "LO", std::nullopt},
    {0x00080090, "ReferringPhysicianName", "PN", kStudy},
    {0x00081030, "StudyDescription", "LO", kStudy},
    {0x0008103E, "SeriesDescription", "LO", kSeries},
    {0x00081090, "ManufacturerModelName", "LO", std::nullopt},
    {0x00081190, "RetrieveURL", "UR", kStudy},
    {0x00100010, "PatientName", "PN", kStudy},
    {0x00100020, "PatientID", "LO", kStudy},
    {0x00100030, "PatientBirthDate", "DA", kStudy},
    {0x00100040, "PatientSex", "CS", kStudy},
    {0x00101010, "PatientAge", "AS", std::nullopt},
    {0x00180015, "BodyPartExamined", "CS", std::nullopt},
    {0x00180050, "SliceThickness", "DS", std::nullopt},
    {0x0020000D, "StudyInstanceUID", "UI", kStudy},
    {0x0020000E, "SeriesInstanceUID", "UI", kSeries},
    {0x00200010, "StudyID", "SH", kStudy},
    {0x00200011, "SeriesNumber", "IS", kSeries},
    {0x00200013, "InstanceNumber", "IS", kInstance},
    {0x00200032, "ImagePositionPatient", "DS", std::nullopt},
    {0x00200037, "ImageOrientationPatient", "DS", std::nullopt},
    {0x00201206, "NumberOfStudyRelatedSeries", "IS", kStudy},
    {0x00201208, "NumberOfStudyRelatedInstances", "IS", kStudy},
    {0x00201209, "NumberOfSeriesRelatedInstances", "IS", kSeries},
    {0x00280008, "NumberOfFrames", "IS", kInstance},
    {0x00280010, "Rows", "US", kInstance},
    {0x00280011, "Columns", "US", kInstance},
    {0x00280030, "PixelSpacing", "DS", std::nullopt},
    {0x00280100, "BitsAllocated", "US", kInstance},
    {0x0040A730, "ContentSequence", "SQ", std::nullopt},
}};

// Levels nest: a study key filters series and instance searches too.
int Depth(QidoLevel level) { return static_cast<int>(level); }

bool IsHexTag(std::string_view s) {
  if (s.size() != 8) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

uint32_t HexTag(std::string_view s) {
  uint32_t tag = 0;
  std::from_chars(s.data(), s.data() + s.size(), tag, 16);
  return tag;
}

// A parameter name as an attribute: its keyword, or its tag as eight hex digits.
const QidoAttribute* AttributeNamed(std::string_view name) {
  if (IsHexTag(name)) return FindQidoAttributeByTag(HexTag(name));
  return FindQidoAttributeByKeyword(name);
}

Status Bad(const std::string& param, const std::string& why) {
  return Status::InvalidArgument("query parameter '" + param + "': " + why);
}

// Values of a multi-valued key: comma- or backslash-separated, empty items dropped.
std::vector<std::string> SplitList(std::string_view value) {
  std::vector<std::string> items;
  size_t start = 0;
  for (size_t i = 0; i <= value.size(); ++i) {
    if (i == value.size() || value[i] == ',' || value[i] == '\\') {
      if (i > start) items.emplace_back(value.substr(start, i - start));
      start = i + 1;
    }
  }
  return items;
}

Status ParseUidList(const std::string& param, const std::string& value,
                    std::vector<std::string>& out) {
  for (std::string& uid : SplitList(value)) {
    if (!IsValidUid(uid)) return Bad(param, "not a UID list");
    out.push_back(std::move(uid));
  }
  return Status::Ok();
}

bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end;
}

// A DICOM CS value (PS3.5 6.2): upper-case letters, digits, space and underscore, at
// most 16 characters.
bool IsCodeString(std::string_view s) {
  if (s.empty() || s.size() > 16) return false;
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '_')) return false;
  return true;
}

// A DA value "YYYYMMDD" as "YYYY-MM-DD", or nullopt when it is no calendar date.
std::optional<std::string> IsoDate(std::string_view da) {
  if (da.size() != 8) return std::nullopt;
  for (char c : da)
    if (c < '0' || c > '9') return std::nullopt;
  int year = 0, month = 0, day = 0;
  ParseInt(da.substr(0, 4), year);
  ParseInt(da.substr(4, 2), month);
  ParseInt(da.substr(6, 2), day);
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return std::nullopt;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && day == 29 && !leap) return std::nullopt;
  return std::string(da.substr(0, 4)) + "-" + std::string(da.substr(4, 2)) + "-" +
         std::string(da.substr(6, 2));
}

// PS3.4 C.2.2.2.5: "D", "D1-D2", "D1-" and "-D2".
Status ParseDateRange(const std::string& param, const std::string& value, DateRange& out) {
  const size_t dash = value.find('-');
  if (dash == std::string::npos) {
    out.from = IsoDate(value);
    out.to = out.from;
    if (!out.from) return Bad(param, "not a date YYYYMMDD or range");
    return Status::Ok();
  }
  const std::string_view first = std::string_view(value).substr(0, dash);
  const std::string_view second = std::string_view(value).substr(dash + 1);
  if (first.empty() && second.empty()) return Bad(param, "a range needs at least one date");
  if (!first.empty() && !(out.from = IsoDate(first))) return Bad(param, "not a date range");
  if (!second.empty() && !(out.to = IsoDate(second))) return Bad(param, "not a date range");
  if (out.from && out.to && *out.from > *out.to) return Bad(param, "range ends before it starts");
  return Status::Ok();
}

// A text key: nullopt (no filter) for an empty value or a lone "*", which match
// everything (PS3.4 C.2.2.2.4). At most 64 characters as LO allows, 320 for PN.
Status ParseText(const std::string& param, const std::string& value, size_t max_bytes,
                 std::optional<TextMatch>& out) {
  if (value.size() > max_bytes) return Bad(param, "value too long");
  for (unsigned char c : value)
    if (c < 0x20 || c == 0x7F) return Bad(param, "control characters are not allowed");
  if (value.empty() || value.find_first_not_of('*') == std::string::npos) return Status::Ok();
  out = TextMatch{value, value.find_first_of("*?") != std::string::npos};
  return Status::Ok();
}

Status ParseIncludeField(const std::string& param, const std::string& value, QidoQuery& q) {
  for (const std::string& item : SplitList(value)) {
    if (item == "all") {
      q.include_all = true;
    } else if (IsHexTag(item)) {
      q.include_tags.push_back(HexTag(item));
    } else if (const QidoAttribute* a = FindQidoAttributeByKeyword(item)) {
      q.include_tags.push_back(a->tag);
    } else {
      return Bad(param, "unknown attribute '" + item + "' (give its tag, e.g. 00180015)");
    }
  }
  return Status::Ok();
}

// One matching key, named by `attribute`, at a search of `level`.
Status ParseMatchingKey(const std::string& param, const QidoAttribute& attribute,
                        const std::string& value, QidoQuery& q) {
  const uint32_t tag = attribute.tag;
  if (attribute.indexed_at && Depth(*attribute.indexed_at) > Depth(q.level))
    return Bad(param, "not a matching key of this level");
  switch (tag) {
    case 0x0020000D:
      return ParseUidList(param, value, q.study_uids);
    case 0x00100010:
      return ParseText(param, value, 320, q.patient_name);
    case 0x00100020:
      return ParseText(param, value, 64, q.patient_id);
    case 0x00080050:
      return ParseText(param, value, 16, q.accession_number);
    case 0x00081030:
      return ParseText(param, value, 64, q.study_description);
    case 0x00080020:
      if (value.empty()) return Status::Ok();
      q.study_date.emplace();
      return ParseDateRange(param, value, *q.study_date);
    case 0x00080061:
      for (std::string& m : SplitList(value)) {
        if (!IsCodeString(m)) return Bad(param, "not a list of modalities");
        q.modalities_in_study.push_back(std::move(m));
      }
      return Status::Ok();
    case 0x0020000E:
      return ParseUidList(param, value, q.series_uids);
    case 0x00080060:
      if (value.empty()) return Status::Ok();
      if (!IsCodeString(value)) return Bad(param, "not a modality");
      q.modality = value;
      return Status::Ok();
    case 0x00200011:
    case 0x00200013: {
      if (value.empty()) return Status::Ok();
      int n = 0;
      if (!ParseInt(value, n)) return Bad(param, "not an integer");
      (tag == 0x00200011 ? q.series_number : q.instance_number) = n;
      return Status::Ok();
    }
    case 0x00080018:
      return ParseUidList(param, value, q.sop_instance_uids);
    case 0x00080016:
      if (value.empty()) return Status::Ok();
      if (!IsValidUid(value)) return Bad(param, "not a UID");
      q.sop_class_uid = value;
      return Status::Ok();
    default:
      return Bad(param, "not a matching key this server supports");
  }
}

}  // namespace

const QidoAttribute* FindQidoAttributeByKeyword(std::string_view keyword) {
  for (const QidoAttribute& a : kAttributes)
    if (keyword == a.keyword) return &a;
  return nullptr;
}

const QidoAttribute* FindQidoAttributeByTag(uint32_t tag) {
  for (const QidoAttribute& a : kAttributes)
    if (a.tag == tag) return &a;
  return nullptr;
}

bool QidoQuery::NeedsMetadata() const {
  if (include_all) return true;
  for (uint32_t tag : include_tags) {
    const QidoAttribute* a = FindQidoAttributeByTag(tag);
    // Indexed at this level or above: the index row has it.
    if (!a || !a->indexed_at || Depth(*a->indexed_at) > Depth(level)) return true;
  }
  return false;
}

Result<QidoQuery> ParseQidoQuery(QidoLevel level, std::string path_study_uid,
                                 std::string path_series_uid,
                                 const std::vector<QueryParam>& params) {
  QidoQuery q;
  q.level = level;
  q.path_study_uid = std::move(path_study_uid);
  q.path_series_uid = std::move(path_series_uid);
  for (const auto& [name, value] : params) {
    Status s;
    if (name == "limit") {
      if (!ParseInt(value, q.limit) || q.limit < 1 || q.limit > kQidoMaxLimit)
        s = Bad(name, "must be an integer from 1 to " + std::to_string(kQidoMaxLimit));
    } else if (name == "offset") {
      if (!ParseInt(value, q.offset) || q.offset < 0)
        s = Bad(name, "must be a non-negative integer");
    } else if (name == "includefield") {
      s = ParseIncludeField(name, value, q);
    } else if (name == "fuzzymatching") {
      if (value != "true" && value != "false") s = Bad(name, "must be true or false");
      q.fuzzy_matching = value == "true";
    } else if (const QidoAttribute* attribute = AttributeNamed(name)) {
      s = ParseMatchingKey(name, *attribute, value, q);
    } else {
      s = Bad(name, "unknown parameter");
    }
    if (!s.ok()) return s;
  }
  return q;
}

std::string WildcardToLikePattern(std::string_view value) {
  std::string pattern;
  pattern.reserve(value.size() + 4);
  for (char c : value) {
    switch (c) {
      case '*':
        pattern += '%';
        break;
      case '?':
        pattern += '_';
        break;
      case '%':
      case '_':
      case '\\':
        pattern += '\\';
        pattern += c;
        break;
      default:
        pattern += c;
    }
  }
  return pattern;
}

}  // namespace telerad
