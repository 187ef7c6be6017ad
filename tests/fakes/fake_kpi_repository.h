// FakeKpiRepository: KPI figures in memory, for unit tests of the KPI service and
// metrics. Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "src/kpi/kpi_repository.h"
#include "tests/fakes/fake_audit_log.h"

namespace telerad {

// KPI figures as set by the test; `outage` makes the live reads (Totals, FacilitiesUsingBy,
// Backlog) kUnavailable.
class FakeKpiRepository : public KpiRepository {
 public:
  Result<bool> SetTimeZone(const std::string& zone) override {
    zone_ = zone;
    return true;
  }
  Result<KpiGroupedFigures> Figures(const KpiDimensions& dims, const KpiFilter& filter,
                                    KpiFiguresCache* cache) override {
    last_dims = dims;
    last_filter = filter;
    last_cache = cache;
    KpiGroupedFigures out;
    out.totals = figures;
    if (dims.time || dims.facility || dims.aimag || dims.modality)
      out.groups.push_back({KpiGroupKey{}, figures});
    return out;
  }
  Result<FacilitiesUsing> FacilitiesUsingBy(date::sys_days last, const std::string&,
                                            const std::string&) override {
    if (outage) return Status::Unavailable("fake outage");
    using_asked_for = last;
    return facilities;
  }
  Result<std::vector<BacklogBucket>> Backlog() override {
    if (outage) return Status::Unavailable("fake outage");
    return backlog;
  }
  Result<std::vector<FacilityTotals>> Totals() override {
    if (outage) return Status::Unavailable("fake outage");
    return totals;
  }
  Result<std::vector<KpiTarget>> Targets(const std::string& period) override {
    std::vector<KpiTarget> out;
    for (const KpiTarget& t : targets)
      if (period.empty() || t.period == period) out.push_back(t);
    return out;
  }
  Result<KpiTarget> PutTarget(const KpiTarget& target, AuditEntry& audit) override {
    if (Status appended = audit_log->Append(audit); !appended.ok()) return appended;
    targets.push_back(target);
    return target;
  }
  Status DeleteTarget(const std::string&, const std::string&, AuditEntry& audit) override {
    return audit_log->Append(audit);
  }

  KpiFigures figures;
  FacilitiesUsing facilities;
  std::vector<KpiTarget> targets;
  std::vector<BacklogBucket> backlog;
  std::vector<FacilityTotals> totals;
  bool outage = false;
  // Where the changes' audit entries go: the fake's own log unless a test points several
  // fakes at one shared log.
  FakeAuditLog own_audit_log;
  FakeAuditLog* audit_log = &own_audit_log;
  KpiDimensions last_dims;
  KpiFilter last_filter;
  KpiFiguresCache* last_cache = nullptr;
  date::sys_days using_asked_for;
  std::string zone_;
};

}  // namespace telerad
