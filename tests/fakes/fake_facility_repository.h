// FakeFacilityRepository: the facility registry in memory, for unit tests. Ids, codes
// and AE titles follow PgFacilityRepository's rules (tests/contract/
// facility_repository_contract.h); a test may also put a facility into `by_ae` directly.
// `outage` makes FindByAeTitle kUnavailable. Not thread-safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "src/index/facility_repository.h"
#include "tests/fakes/fake_audit_log.h"

namespace telerad {

class FakeFacilityRepository : public FacilityRepository {
 public:
  Result<std::optional<Facility>> FindByAeTitle(const std::string& ae) override {
    if (outage) return Status::Unavailable("fake outage");
    auto it = by_ae.find(ae);
    if (it == by_ae.end()) return std::optional<Facility>();
    return std::optional<Facility>(it->second);
  }
  Result<std::optional<Facility>> FindByCode(const std::string& code) override {
    for (const auto& [ae, f] : by_ae)
      if (f.code == code) return std::optional<Facility>(f);
    return std::optional<Facility>();
  }
  Result<std::vector<Facility>> List() override {
    std::map<std::string, Facility> by_code;
    for (const auto& [ae, f] : by_ae) by_code[f.code] = f;
    std::vector<Facility> all;
    for (const auto& [code, f] : by_code) all.push_back(f);
    return all;
  }
  Result<Facility> Create(const Facility& f, AuditEntry& audit) override {
    return Insert(f, &audit);
  }
  Result<Facility> Update(const Facility& f, AuditEntry& audit) override {
    if (before_update) std::exchange(before_update, nullptr)();
    std::optional<Facility> current = *FindByCode(f.code);
    if (!current) return Status::NotFound("no such facility");
    if (current->version != f.version)
      return Status::FailedPrecondition("the facility was changed meanwhile");
    return Replace(*current, f, &audit);
  }
  Result<Facility> Upsert(const Facility& f) override {
    std::optional<Facility> current = *FindByCode(f.code);
    return current ? Replace(*current, f, nullptr) : Insert(f, nullptr);
  }

  bool outage = false;
  // Where the changes' audit entries go: the fake's own log unless a test points several
  // fakes at one shared log.
  FakeAuditLog own_audit_log;
  FakeAuditLog* audit_log = &own_audit_log;
  std::map<std::string, Facility> by_ae;
  // Called once by the next Update before anything else: a test plays another admin's
  // change landing between a service's read and its write (e.g. an Upsert).
  std::function<void()> before_update;

 private:
  // Registers `f`, appending `audit` if given (Upsert, the seeders', gives none).
  Result<Facility> Insert(const Facility& f, AuditEntry* audit) {
    if (by_ae.count(f.ae_title) || *FindByCode(f.code))
      return Status::Conflict("code or AE title taken");
    if (audit)
      if (Status appended = audit_log->Append(*audit); !appended.ok()) return appended;
    Facility created = f;
    created.id = next_id_++;
    created.version = 1;
    return by_ae[f.ae_title] = created;
  }

  // `f`'s fields on the registered facility `current`, which keeps its id.
  Result<Facility> Replace(const Facility& current, const Facility& f, AuditEntry* audit) {
    auto taken = by_ae.find(f.ae_title);
    if (taken != by_ae.end() && taken->second.code != f.code)
      return Status::Conflict("AE title taken");
    if (audit)
      if (Status appended = audit_log->Append(*audit); !appended.ok()) return appended;
    by_ae.erase(current.ae_title);
    Facility updated = f;
    updated.id = current.id;
    updated.version = current.version + 1;
    return by_ae[f.ae_title] = updated;
  }

  int64_t next_id_ = 1;
};

}  // namespace telerad
