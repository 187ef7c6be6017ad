// TemplateRepository: the stored report templates. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "src/base/audit_entry.h"
#include "src/base/status.h"
#include "src/vocabulary/report_template.h"

namespace telerad {

class TemplateRepository {
 public:
  virtual ~TemplateRepository() = default;

  // The templates `filter` admits: by language, then the specific before those for any
  // modality or body part, then by name.
  virtual Result<std::vector<ReportTemplate>> List(const TemplateFilter& filter) = 0;

  virtual Result<std::optional<ReportTemplate>> Find(int64_t id) = 0;

  // Stores a new template as version 1 (id, updated_at set; updated_by as given).
  // kConflict if its language already has a template of that name. The writes append
  // `audit` in their transaction (its id set), as the facility registry's do; Create
  // first names the new template's id in it (object_id), which no caller knows before.
  virtual Result<ReportTemplate> Create(const ReportTemplate& t, AuditEntry& audit) = 0;

  // Replaces every field of template `t.id` but id and version if its version is still
  // `expected_version`; the version then goes up by one. kNotFound for an unknown id,
  // kFailedPrecondition for a stale version, kConflict for a taken name.
  virtual Result<ReportTemplate> Update(const ReportTemplate& t, int expected_version,
                                        AuditEntry& audit) = 0;

  // Deletes template `id`. kNotFound for an unknown id.
  virtual Status Delete(int64_t id, AuditEntry& audit) = 0;
};

}  // namespace telerad
