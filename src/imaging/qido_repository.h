// QidoRepository: QIDO-RS searches over the study index, never over stored files.
// Implementations: PgQidoRepository (PostgreSQL). Thread-safe; kUnavailable when the
// database is down.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/base/status.h"
#include "src/imaging/qido_query.h"

namespace telerad {

// One match: the study's index row, and at the series and instance levels the series's
// and instance's. Text as the facility sent it, in UTF-8; dates "YYYYMMDD" or "".
struct QidoMatch {
  // Study.
  std::string study_uid;
  std::string patient_name;
  std::string patient_id;
  std::string patient_birth_date;
  std::string patient_sex;
  std::string accession_number;
  std::string study_date;
  std::string study_time;
  std::string referring_physician;
  std::string dicom_study_id;
  std::string study_description;
  std::vector<std::string> modalities;
  int num_series = 0;
  int num_study_instances = 0;
  // Series (series and instance levels).
  std::string series_uid;
  std::string modality;
  std::optional<int> series_number;
  std::string series_description;
  int num_series_instances = 0;
  // Instance (instance level).
  std::string sop_class_uid;
  std::string sop_instance_uid;
  std::optional<int> instance_number;
  std::optional<int> rows, columns, bits_allocated, number_of_frames;
  // The DICOM JSON of one instance of the match (the instance itself at the instance
  // level), when the query NeedsMetadata() and one is stored.
  std::optional<std::string> metadata_json;
};

class QidoRepository {
 public:
  virtual ~QidoRepository() = default;

  // The matches of `query`, at most query.limit after skipping query.offset, in a stable
  // order. `facility_id`: only that facility's studies (facility users).
  virtual Result<std::vector<QidoMatch>> Search(const QidoQuery& query,
                                                std::optional<int64_t> facility_id) = 0;
};

}  // namespace telerad
