// How a study row is read: the column list every study read selects, and its mapping
// to Study. Shared by PgStudyRepository and the worklist query builder; only src/pg/
// include it (libpqxx types).
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "src/base/model.h"
#include "src/pg/pg_row.h"

namespace telerad {

// The study columns every read returns, in the order RowToStudy reads them (29 columns:
// FindStudy's series columns follow at index 29).
inline constexpr const char* kStudyColumns =
    "s.id, s.study_uid, s.status, s.priority, s.modality_class,"
    " array_to_string(s.modalities, '\\'), s.patient_id, s.patient_name,"
    " to_char(s.patient_birth_date, 'YYYY-MM-DD'), s.patient_sex, s.accession_number,"
    " to_char(s.study_date, 'YYYY-MM-DD'), s.description, s.clinical_info, s.num_series,"
    " s.num_instances, s.size_bytes, " TELERAD_MICROS("s.received_at") ", "
    TELERAD_MICROS("s.ready_at") ", " TELERAD_MICROS("s.sla_due_at") ", u.username, "
    TELERAD_MICROS("s.reported_at") ", f.id, f.code, f.name, f.aimag, "
    TELERAD_MICROS("s.claim_expires_at") ", s.critical_pending, s.report_status";

inline constexpr const char* kStudyFrom =
    " FROM study s JOIN facility f ON f.id = s.facility_id"
    " LEFT JOIN app_user u ON u.id = s.claimed_by";

// One study row selected with kStudyColumns.
Study RowToStudy(const pqxx::row& row);

// `s` split at every `sep` ("" gives no parts).
std::vector<std::string> Split(const std::string& s, char sep);

}  // namespace telerad
