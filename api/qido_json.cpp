#include "api/qido_json.h"

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "api/dicom_json.h"

namespace telerad::api {
namespace {

constexpr uint32_t kStudyDefaults[] = {0x00080020, 0x00080030, 0x00080050, 0x00080061, 0x00080090,
                                       0x00081030, 0x00081190, 0x00100010, 0x00100020, 0x00100030,
                                       0x00100040, 0x0020000D, 0x00200010, 0x00201206, 0x00201208};
constexpr uint32_t kSeriesDefaults[] = {0x00080060, 0x0008103E, 0x00081190, 0x0020000D,
                                        0x0020000E, 0x00200011, 0x00201209};
constexpr uint32_t kInstanceDefaults[] = {0x00080016, 0x00080018, 0x00081190, 0x0020000D,
                                          0x0020000E, 0x00200013, 0x00280008, 0x00280010,
                                          0x00280011, 0x00280100};

std::string RetrieveUrl(QidoLevel level, const QidoMatch& m) {
  std::string url = "/dicomweb/studies/" + m.study_uid;
  if (level != QidoLevel::kStudy) url += "/series/" + m.series_uid;
  if (level == QidoLevel::kInstance) url += "/instances/" + m.sop_instance_uid;
  return url;
}

// Writes `tag` from the index row when the index holds it at `level`; false otherwise.
bool AddIndexed(DicomJsonDataset& ds, uint32_t tag, QidoLevel level, const QidoMatch& m) {
  const bool series = level != QidoLevel::kStudy;
  const bool instance = level == QidoLevel::kInstance;
  switch (tag) {
    case 0x00080020:
      ds.String(tag, "DA", m.study_date);
      return true;
    case 0x00080030:
      ds.String(tag, "TM", m.study_time);
      return true;
    case 0x00080050:
      ds.String(tag, "SH", m.accession_number);
      return true;
    case 0x00080061:
      ds.Strings(tag, "CS", m.modalities);
      return true;
    case 0x00080090:
      ds.PersonName(tag, m.referring_physician);
      return true;
    case 0x00081030:
      ds.String(tag, "LO", m.study_description);
      return true;
    case 0x00081190:
      ds.String(tag, "UR", RetrieveUrl(level, m));
      return true;
    case 0x00100010:
      ds.PersonName(tag, m.patient_name);
      return true;
    case 0x00100020:
      ds.String(tag, "LO", m.patient_id);
      return true;
    case 0x00100030:
      ds.String(tag, "DA", m.patient_birth_date);
      return true;
    case 0x00100040:
      ds.String(tag, "CS", m.patient_sex);
      return true;
    case 0x0020000D:
      ds.String(tag, "UI", m.study_uid);
      return true;
    case 0x00200010:
      ds.String(tag, "SH", m.dicom_study_id);
      return true;
    case 0x00201206:
      ds.Integer(tag, "IS", m.num_series);
      return true;
    case 0x00201208:
      ds.Integer(tag, "IS", m.num_study_instances);
      return true;
    default:
      break;
  }
  if (series) {
    switch (tag) {
      case 0x00080060:
        ds.String(tag, "CS", m.modality);
        return true;
      case 0x0008103E:
        ds.String(tag, "LO", m.series_description);
        return true;
      case 0x0020000E:
        ds.String(tag, "UI", m.series_uid);
        return true;
      case 0x00200011:
        ds.Integer(tag, "IS", m.series_number);
        return true;
      case 0x00201209:
        ds.Integer(tag, "IS", m.num_series_instances);
        return true;
      default:
        break;
    }
  }
  if (instance) {
    switch (tag) {
      case 0x00080016:
        ds.String(tag, "UI", m.sop_class_uid);
        return true;
      case 0x00080018:
        ds.String(tag, "UI", m.sop_instance_uid);
        return true;
      case 0x00200013:
        ds.Integer(tag, "IS", m.instance_number);
        return true;
      case 0x00280008:
        ds.Integer(tag, "IS", m.number_of_frames);
        return true;
      case 0x00280010:
        ds.Integer(tag, "US", m.rows);
        return true;
      case 0x00280011:
        ds.Integer(tag, "US", m.columns);
        return true;
      case 0x00280100:
        ds.Integer(tag, "US", m.bits_allocated);
        return true;
      default:
        break;
    }
  }
  return false;
}

bool IsBulk(const nlohmann::json& attribute) {
  return attribute.contains("BulkDataURI") || attribute.contains("InlineBinary");
}

// The includefield attributes the index does not hold, from the stored metadata. A
// metadata text that does not parse adds nothing (it was written by our own ingest).
void AddFromMetadata(DicomJsonDataset& ds, const QidoQuery& q, const std::string& json) {
  const nlohmann::json metadata = nlohmann::json::parse(json, nullptr, false);
  if (!metadata.is_object()) return;
  auto add = [&](uint32_t tag, const nlohmann::json& attribute) {
    if (ds.Has(tag) || !attribute.is_object() || !attribute.contains("vr")) return;
    ds.Raw(tag, attribute.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  };
  for (uint32_t tag : q.include_tags) {
    auto it = metadata.find(DicomTagKey(tag));
    if (it != metadata.end()) add(tag, *it);
  }
  if (!q.include_all) return;
  for (auto it = metadata.begin(); it != metadata.end(); ++it) {
    if (it.key().size() != 8 || IsBulk(it.value())) continue;
    const unsigned long tag = std::strtoul(it.key().c_str(), nullptr, 16);
    add(static_cast<uint32_t>(tag), it.value());
  }
}

template <size_t N>
void AddAll(DicomJsonDataset& ds, const uint32_t (&tags)[N], QidoLevel level, const QidoMatch& m) {
  for (uint32_t tag : tags) AddIndexed(ds, tag, level, m);
}

}  // namespace

void AppendQidoAnswer(std::string& out, const QidoQuery& query,
                      const std::vector<QidoMatch>& matches) {
  out += '[';
  for (size_t i = 0; i < matches.size(); ++i) {
    const QidoMatch& m = matches[i];
    DicomJsonDataset ds;
    switch (query.level) {
      case QidoLevel::kStudy:
        AddAll(ds, kStudyDefaults, query.level, m);
        break;
      case QidoLevel::kSeries:
        AddAll(ds, kSeriesDefaults, query.level, m);
        break;
      case QidoLevel::kInstance:
        AddAll(ds, kInstanceDefaults, query.level, m);
        break;
    }
    for (uint32_t tag : query.include_tags)
      if (!ds.Has(tag)) AddIndexed(ds, tag, query.level, m);
    if (m.metadata_json) AddFromMetadata(ds, query, *m.metadata_json);
    if (i > 0) out += ',';
    ds.AppendTo(out);
  }
  out += ']';
}

}  // namespace telerad::api
