// FakeTemplateRepository: report templates in memory, for unit tests. Its rules are
// PgTemplateRepository's (tests/contract/template_repository_contract.h). Not
// thread-safe.
#pragma once

#include <algorithm>
#include <map>
#include <tuple>

#include "src/vocabulary/template_repository.h"
#include "tests/fakes/fake_audit_log.h"

namespace telerad {

class FakeTemplateRepository : public TemplateRepository {
 public:
  Result<std::vector<ReportTemplate>> List(const TemplateFilter& f) override {
    std::vector<ReportTemplate> out;
    for (const auto& [id, t] : by_id) {
      if (f.language && t.language != *f.language) continue;
      if (f.modality_class && !t.modality_class.empty() && t.modality_class != *f.modality_class)
        continue;
      if (f.body_part && !t.body_part.empty() && t.body_part != *f.body_part) continue;
      if (f.active_only && !t.active) continue;
      out.push_back(t);
    }
    // Specific before any (an empty value sorts last), as NULLS LAST does.
    auto key = [](const ReportTemplate& t) {
      return std::make_tuple(t.language, t.modality_class.empty(), t.modality_class,
                             t.body_part.empty(), t.body_part, t.name);
    };
    std::sort(out.begin(), out.end(),
              [&](const ReportTemplate& a, const ReportTemplate& b) { return key(a) < key(b); });
    return out;
  }
  Result<std::optional<ReportTemplate>> Find(int64_t id) override {
    auto it = by_id.find(id);
    if (it == by_id.end()) return std::optional<ReportTemplate>();
    return std::optional<ReportTemplate>(it->second);
  }
  Result<ReportTemplate> Create(const ReportTemplate& t, AuditEntry& audit) override {
    if (NameTaken(t, 0)) return Status::Conflict("template name taken");
    ReportTemplate created = t;
    created.id = next_id_;
    created.version = 1;
    created.updated_at = now;
    audit.object_id = std::to_string(created.id);
    if (Status appended = audit_log->Append(audit); !appended.ok()) return appended;
    ++next_id_;
    return by_id[created.id] = created;
  }
  Result<ReportTemplate> Update(const ReportTemplate& t, int expected_version,
                                AuditEntry& audit) override {
    auto it = by_id.find(t.id);
    if (it == by_id.end()) return Status::NotFound("no such template");
    if (it->second.version != expected_version)
      return Status::FailedPrecondition("the template changed since that version was read");
    if (NameTaken(t, t.id)) return Status::Conflict("template name taken");
    if (Status appended = audit_log->Append(audit); !appended.ok()) return appended;
    ReportTemplate updated = t;
    updated.version = it->second.version + 1;
    updated.updated_at = now;
    return it->second = updated;
  }
  Status Delete(int64_t id, AuditEntry& audit) override {
    if (!by_id.count(id)) return Status::NotFound("no such template");
    if (Status appended = audit_log->Append(audit); !appended.ok()) return appended;
    by_id.erase(id);
    return Status::Ok();
  }

  TimePoint now{};  // every write's updated_at
  FakeAuditLog own_audit_log;
  FakeAuditLog* audit_log = &own_audit_log;
  std::map<int64_t, ReportTemplate> by_id;

 private:
  bool NameTaken(const ReportTemplate& t, int64_t except_id) const {
    return std::any_of(by_id.begin(), by_id.end(), [&](const auto& entry) {
      return entry.first != except_id && entry.second.language == t.language &&
             entry.second.name == t.name;
    });
  }

  int64_t next_id_ = 1;
};

}  // namespace telerad
