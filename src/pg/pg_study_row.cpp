#include "src/pg/pg_study_row.h"

namespace telerad {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

Study RowToStudy(const pqxx::row& r) {
  Study s;
  s.id = r[0].as<int64_t>();
  s.study_uid = r[1].as<std::string>();
  s.status = ParseStudyStatus(r[2].as<std::string>()).value_or(StudyStatus::kReceiving);
  s.priority = static_cast<Priority>(r[3].as<int>());
  s.modality_class = ParseModalityClass(r[4].as<std::string>()).value_or(ModalityClass::kOther);
  s.modalities = Split(r[5].as<std::string>(), '\\');
  s.patient = {r[6].as<std::string>(), r[7].as<std::string>(), TextOr(r[8]),
               r[9].as<std::string>()};
  s.accession_number = r[10].as<std::string>();
  s.study_date = TextOr(r[11]);
  s.description = r[12].as<std::string>();
  s.clinical_info = r[13].as<std::string>();
  s.num_series = r[14].as<int>();
  s.num_instances = r[15].as<int>();
  s.size_bytes = r[16].as<uint64_t>();
  s.received_at = FromMicros(r[17].as<int64_t>());
  s.ready_at = OptionalTime(r[18]);
  s.sla_due_at = OptionalTime(r[19]);
  if (!r[20].is_null()) s.claimed_by = r[20].as<std::string>();
  s.reported_at = OptionalTime(r[21]);
  s.facility.id = r[22].as<int64_t>();
  s.facility.code = r[23].as<std::string>();
  s.facility.name = r[24].as<std::string>();
  s.facility.aimag = r[25].as<std::string>();
  s.claim_expires_at = OptionalTime(r[26]);
  s.critical_pending = r[27].as<bool>();
  if (!r[28].is_null()) s.report_status = ParseReportStatus(r[28].as<std::string>());
  return s;
}

}  // namespace telerad
