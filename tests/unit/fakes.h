// Hand-written fakes of telerad's own interfaces, for unit tests of the services.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>

#include "src/index/facility_repository.h"
#include "src/index/study_repository.h"
#include "src/kpi/kpi_repository.h"
#include "src/online/consultation_repository.h"
#include "src/storage/file_store.h"

namespace telerad {

// In-memory study index; `outage` makes every call kUnavailable.
class FakeStudyRepository : public StudyRepository {
 public:
  Result<std::optional<StoredInstance>> FindInstance(const std::string& sop) override {
    if (outage) return Status::Unavailable("fake outage");
    auto it = instances.find(sop);
    if (it == instances.end()) return std::optional<StoredInstance>();
    const InstanceRecord& r = it->second;
    return std::optional<StoredInstance>(
        StoredInstance{r.facility_id, r.header.study_uid, r.header.series_uid, r.storage_key});
  }
  Result<IndexOutcome> IndexInstance(const InstanceRecord& r,
                                     const MakeFileDurable& make_durable) override {
    if (outage) return Status::Unavailable("fake outage");
    auto key = make_durable();
    if (!key.ok()) return key.status();
    InstanceRecord stored = r;
    stored.storage_key = *key;
    bool fresh = instances.emplace(r.header.sop_instance_uid, stored).second;
    return IndexOutcome{1, fresh};
  }
  Status SetStorageKey(const std::string& sop, const std::string& key) override {
    auto it = instances.find(sop);
    if (it == instances.end()) return Status::NotFound("no instance");
    it->second.storage_key = key;
    return Status::Ok();
  }
  Result<bool> UpdateOrder(const std::string& uid, std::optional<Priority> priority,
                           const std::optional<std::string>& clinical_info,
                           const SlaTargets&) override {
    auto it = studies.find(uid);
    if (it == studies.end()) return Status::NotFound("no such study");
    if (it->second.status == StudyStatus::kReported) return false;
    if (priority) it->second.priority = *priority;
    if (clinical_info) it->second.clinical_info = *clinical_info;
    return true;
  }
  Result<int> PromoteStableStudies(std::chrono::seconds, const SlaTargets&) override { return 0; }
  Result<StudyPage> ListStudies(const StudyQuery& q) override {
    last_query = q;
    return StudyPage{};
  }
  // Claims follow the same rule as the SQL: ready, or expired, or already the user's.
  Result<ClaimOutcome> Claim(const std::string& uid, int64_t user_id,
                             std::chrono::seconds lease) override {
    auto it = studies.find(uid);
    if (it == studies.end()) return ClaimOutcome{};
    Study& s = it->second;
    ClaimOutcome out;
    out.found = true;
    const bool mine = claimed_by_id.count(uid) && claimed_by_id[uid] == user_id;
    if (s.status == StudyStatus::kReady || (s.status == StudyStatus::kClaimed && mine)) {
      s.status = StudyStatus::kClaimed;
      claimed_by_id[uid] = user_id;
      s.claimed_by = "user" + std::to_string(user_id);
      out.claimed = true;
      out.expires_at = std::chrono::system_clock::now() + lease;
    }
    out.status = s.status;
    out.holder = s.claimed_by;
    return out;
  }
  Result<bool> Release(const std::string& uid, int64_t user_id) override {
    auto it = studies.find(uid);
    if (it == studies.end() || it->second.status != StudyStatus::kClaimed ||
        claimed_by_id[uid] != user_id)
      return false;
    it->second.status = StudyStatus::kReady;
    it->second.claimed_by.reset();
    claimed_by_id.erase(uid);
    return true;
  }
  Result<int> ExpireClaims() override { return 0; }
  Result<std::optional<Study>> FindStudy(const std::string& uid) override {
    auto it = studies.find(uid);
    if (it == studies.end()) return std::optional<Study>();
    return std::optional<Study>(it->second);
  }
  Status Ping() override { return outage ? Status::Unavailable("fake outage") : Status::Ok(); }

  bool outage = false;
  std::map<std::string, InstanceRecord> instances;
  std::map<std::string, Study> studies;
  std::map<std::string, int64_t> claimed_by_id;
  StudyQuery last_query;
};

// In-memory e-examinations. Transitions apply the same guard as the SQL (WhyBlocked), so
// the service sees the same refusals; `facilities` names the facilities bookings may use.
class FakeConsultationRepository : public ConsultationRepository {
 public:
  Result<Consultation> Create(const NewConsultation& b) override {
    if (outage) return Status::Unavailable("fake outage");
    Consultation c;
    c.id = next_id++;
    c.facility.id = b.facility_id;
    c.facility.code = "F" + std::to_string(b.facility_id);
    c.patient = b.patient;
    c.specialty = b.specialty;
    c.reason = b.reason;
    c.requested_at = b.requested_at;
    c.created_at = std::chrono::system_clock::now();
    rows[c.id] = c;
    return c;
  }
  Result<std::optional<Consultation>> Find(int64_t id) override {
    if (outage) return Status::Unavailable("fake outage");
    auto it = rows.find(id);
    if (it == rows.end()) return std::optional<Consultation>();
    return std::optional<Consultation>(it->second);
  }
  Result<ConsultationPage> List(const ConsultationQuery& q) override {
    last_query = q;
    ConsultationPage page;
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
      const Consultation& c = it->second;
      if (q.facility_id && c.facility.id != *q.facility_id) continue;
      if (q.specialist_id && c.status != ConsultationStatus::kRequested &&
          c.specialist_id != q.specialist_id)
        continue;
      if (q.status && c.status != *q.status) continue;
      page.items.push_back(c);
    }
    return page;
  }
  Result<ConsultationWrite> Accept(int64_t id, const TransitionGuard& g, int64_t specialist_id,
                                   TimePoint slot_at) override {
    return Apply(id, g, [&](Consultation& c) {
      c.status = ConsultationStatus::kAccepted;
      c.specialist_id = specialist_id;
      c.specialist = "user" + std::to_string(specialist_id);
      c.slot_at = slot_at;
    });
  }
  Result<ConsultationWrite> Complete(int64_t id, const TransitionGuard& g,
                                     const std::string& conclusion,
                                     const std::vector<std::string>& codes) override {
    return Apply(id, g, [&](Consultation& c) {
      c.status = ConsultationStatus::kCompleted;
      c.conclusion = conclusion;
      c.icd_codes = codes;
    });
  }
  Result<ConsultationWrite> Cancel(int64_t id, const TransitionGuard& g,
                                   const std::string& reason) override {
    return Apply(id, g, [&](Consultation& c) {
      c.status = ConsultationStatus::kCancelled;
      c.cancel_reason = reason;
    });
  }
  Result<ConsultationWrite> MarkNoShow(int64_t id, const TransitionGuard& g) override {
    return Apply(id, g, [&](Consultation& c) { c.status = ConsultationStatus::kNoShow; });
  }

  bool outage = false;
  int64_t next_id = 1;
  std::map<int64_t, Consultation> rows;
  ConsultationQuery last_query;

 private:
  template <typename Change>
  Result<ConsultationWrite> Apply(int64_t id, const TransitionGuard& g, Change change) {
    if (outage) return Status::Unavailable("fake outage");
    ConsultationWrite out;
    auto it = rows.find(id);
    std::optional<Consultation> current;
    if (it != rows.end()) current = it->second;
    out.block = WhyBlocked(current, g);
    if (out.block == TransitionBlock::kNone) {
      change(it->second);
      ++it->second.version;
      current = it->second;
    }
    out.consultation = current;
    return out;
  }
};

class FakeFacilityRepository : public FacilityRepository {
 public:
  Result<std::optional<Facility>> FindByAeTitle(const std::string& ae) override {
    if (outage) return Status::Unavailable("fake outage");
    auto it = by_ae.find(ae);
    if (it == by_ae.end()) return std::optional<Facility>();
    return std::optional<Facility>(it->second);
  }
  Result<Facility> Upsert(const Facility& f) override {
    by_ae[f.ae_title] = f;
    return f;
  }
  Result<std::optional<Facility>> FindByCode(const std::string& code) override {
    for (const auto& [ae, f] : by_ae)
      if (f.code == code) return std::optional<Facility>(f);
    return std::optional<Facility>();
  }
  Result<std::vector<Facility>> List() override {
    std::vector<Facility> all;
    for (const auto& [ae, f] : by_ae) all.push_back(f);
    return all;
  }
  Result<Facility> Create(const Facility& f) override {
    if (by_ae.count(f.ae_title)) return Status::Conflict("AE title taken");
    return Upsert(f);
  }
  Result<Facility> Update(const Facility& f) override { return Upsert(f); }
  bool outage = false;
  std::map<std::string, Facility> by_ae;
};

// Files as names only. `staging` holds the staged files neither committed nor
// discarded yet; `fail_commit` fails placement as a full disk would, leaving the staged
// file for its StagedFile to discard.
class FakeFileStore : public FileStore {
 public:
  bool Exists(const std::string& key) const override { return committed.count(key) > 0; }
  Status Remove(const std::string& key) override {
    std::lock_guard<std::mutex> lock(mu_);
    committed.erase(key);
    removed.insert(key);
    return Status::Ok();
  }
  std::string PathOf(const std::string& key) const override { return "/fake/" + key; }
  Status CheckWritable() override { return Status::Ok(); }
  int CleanStaging() override { return 0; }

  bool fail_commit = false;
  std::set<std::string> staging, committed, discarded, removed;

 private:
  Result<std::string> NewStagingPath() override {
    std::lock_guard<std::mutex> lock(mu_);
    std::string path = "staged-" + std::to_string(next_++);
    staging.insert(path);
    return path;
  }
  void StartWriteback(const std::string&) override {}
  Result<std::string> Commit(const std::string& staged, const std::string& key) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (fail_commit) return Status::ResourceExhausted("fake disk full");
    staging.erase(staged);
    std::string final_key = key;
    for (int n = 1; committed.count(final_key); ++n) final_key = key + "-" + std::to_string(n);
    committed.insert(final_key);
    return final_key;
  }
  void Discard(const std::string& staged) override {
    std::lock_guard<std::mutex> lock(mu_);
    staging.erase(staged);
    discarded.insert(staged);
  }

  std::mutex mu_;
  int next_ = 0;
};

// KPI figures as set by the test; `outage` makes the live reads (Totals, FacilitiesUsingBy,
// Backlog) kUnavailable.
class FakeKpiRepository : public KpiRepository {
 public:
  Result<bool> SetTimeZone(const std::string& zone) override {
    zone_ = zone;
    return true;
  }
  Result<KpiGroupedFigures> Figures(const KpiDimensions& dims, const KpiFilter& filter) override {
    last_dims = dims;
    last_filter = filter;
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
  Result<KpiTarget> PutTarget(const KpiTarget& target) override {
    targets.push_back(target);
    return target;
  }
  Status DeleteTarget(const std::string&, const std::string&) override { return Status::Ok(); }

  KpiFigures figures;
  FacilitiesUsing facilities;
  std::vector<KpiTarget> targets;
  std::vector<BacklogBucket> backlog;
  std::vector<FacilityTotals> totals;
  bool outage = false;
  KpiDimensions last_dims;
  KpiFilter last_filter;
  date::sys_days using_asked_for;
  std::string zone_;
};

}  // namespace telerad
