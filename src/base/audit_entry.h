// AuditEntry: one row of the audit trail, as every room that writes or carries one sees
// it. It lives in base because a change's entry travels with the change down to the
// repository that commits both in one transaction (study, report, account, facility,
// e-examination and KPI-target writes), and those rooms may not include src/audit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/base/model.h"

namespace telerad {

struct AuditEntry {
  int64_t id = 0;
  TimePoint at;
  std::optional<int64_t> user_id;
  std::string username;
  std::string role;
  std::string action;       // e.g. "study.view", "report.sign", "auth.login"
  std::string object_type;  // e.g. "study", "user"
  std::string object_id;    // e.g. the study UID
  std::string remote_addr;
  std::string outcome;  // AuditOutcome() of how it ended (src/audit/audit_outcome.h)
  // A list read: the ids of the objects it returned (study UIDs, e-examination ids), so
  // an auditor can tell whose data a worklist page showed; a DICOM delivery: the study
  // UIDs it brought. Ids never hold a newline.
  std::vector<std::string> returned_ids;
  // What the entry does not otherwise say, e.g. the filters of an audit-trail read and
  // how many entries it returned. Never patient data.
  std::string detail;
};

}  // namespace telerad
