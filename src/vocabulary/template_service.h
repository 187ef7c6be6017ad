// TemplateService: the report templates of the reading desk (issue 14). Radiologists
// and admins read them (others: kPermissionDenied); only admins change them, and every
// change is audited in its own transaction, as facility changes are. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "src/base/audit_entry.h"
#include "src/base/model.h"
#include "src/base/status.h"
#include "src/vocabulary/template_repository.h"

namespace telerad {

// The most bytes of a template's findings or of its impression (as a report's).
inline constexpr size_t kMaxTemplateTextBytes = 64 * 1024;

class TemplateService {
 public:
  explicit TemplateService(TemplateRepository& templates);

  // The templates `filter` admits (NormaliseTemplateFilter; kInvalidArgument for a bad
  // value). Only active ones for radiologists; admins see the inactive ones too.
  Result<std::vector<ReportTemplate>> List(const Principal& who, TemplateFilter filter);

  // Stores `t` (ValidateTemplate) as version 1, updated by `who`.
  Result<ReportTemplate> Create(const Principal& who, ReportTemplate t, AuditEntry& audit);

  // Replaces template `t.id` with `t` if it is still at `expected_version`:
  // kFailedPrecondition when that is stale or not given (an edit must say which version
  // it edited, as a report's draft does), kNotFound for an unknown id.
  Result<ReportTemplate> Update(const Principal& who, ReportTemplate t,
                                std::optional<int> expected_version, AuditEntry& audit);

  Status Delete(const Principal& who, int64_t id, AuditEntry& audit);

 private:
  TemplateRepository& templates_;
};

// Checks a template and writes it in canonical form: name trimmed (1-200 bytes, no
// control characters), language "mn" or "en", modality class "CT", "XRAY", "OTHER" or ""
// (any), body part upper-cased, 1-16 of A-Z, 0-9, space, "_", or "" (any), findings and
// impression at most kMaxTemplateTextBytes, not both empty. kUnprocessable naming the
// field.
Status ValidateTemplate(ReportTemplate& t);

// The same rules for a list's filter (upper-casing modality and body part);
// kInvalidArgument naming the parameter.
Status NormaliseTemplateFilter(TemplateFilter& filter);

}  // namespace telerad
