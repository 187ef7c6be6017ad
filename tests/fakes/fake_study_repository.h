// FakeStudyRepository: the study index in memory, for unit tests of the services.
//
// It keeps the rules of PgStudyRepository that tests/contract/study_*_contract.h
// checks against both (idempotent indexing and its conflicts, promotion of quiet studies,
// the worklist and inbox orders with cursors, leases that run out on the clock), so a
// service tested on the fake meets the same repository in production. The clock and the
// facility repository are the caller's and must outlive the fake; without a facility
// repository a study carries only its facility id.
//
// State is public so that tests may arrange it directly (a study in `studies`, a holder in
// `claimed_by_id`). Not thread-safe: unit tests call it from one thread.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "src/base/clock.h"
#include "src/index/facility_repository.h"
#include "src/index/study_repository.h"
#include "tests/fakes/fake_audit_log.h"

namespace telerad {

class FakeStudyRepository : public StudyRepository {
 public:
  explicit FakeStudyRepository(const Clock& clock = SystemClock::Instance(),
                               FacilityRepository* facilities = nullptr)
      : clock_(clock), facilities_(facilities) {}

  Result<std::optional<StoredInstance>> FindInstance(const std::string& sop) override {
    if (outage) return Status::Unavailable("fake outage");
    auto it = instances.find(sop);
    if (it == instances.end()) return std::optional<StoredInstance>();
    const InstanceRecord& r = it->second;
    return std::optional<StoredInstance>(
        StoredInstance{r.facility_id, r.header.study_uid, r.header.series_uid, r.storage_key});
  }

  Result<std::map<std::string, StoredInstance>> FindInstances(
      const std::vector<std::string>& sops) override {
    if (outage) return Status::Unavailable("fake outage");
    std::map<std::string, StoredInstance> found;
    for (const std::string& sop : sops) {
      auto one = FindInstance(sop);
      if (*one) found.emplace(sop, **one);
    }
    return found;
  }

  // Memory is as durable as the fake gets; counts the calls for the settler's tests.
  Status MakeCommitsDurable() override {
    if (outage) return Status::Unavailable("fake outage");
    ++durable_calls;
    return Status::Ok();
  }
  int durable_calls = 0;

  // As the SQL: study and series found or created, then the instance, all or nothing.
  Result<IndexOutcome> IndexInstance(const InstanceRecord& r,
                                     const MakeFileDurable& make_durable) override {
    if (outage) return Status::Unavailable("fake outage");
    const InstanceHeader& h = r.header;
    auto study = studies.find(h.study_uid);
    if (study != studies.end() && study->second.facility.id != r.facility_id)
      return Status::Conflict("study belongs to another facility");
    auto series = series_study_.find(h.series_uid);
    if (series != series_study_.end() && series->second != h.study_uid)
      return Status::Conflict("series belongs to another study");
    const bool new_series = series == series_study_.end();
    auto existing = instances.find(h.sop_instance_uid);
    const bool fresh = existing == instances.end();
    // As the SQL's unique SOP Instance UID: a repeat only within the same series.
    if (!fresh && existing->second.header.series_uid != h.series_uid)
      return Status::Conflict("SOP Instance UID already stored for another study");
    Result<std::string> key = make_durable();
    if (!key.ok()) return key.status();  // nothing written yet: the "rollback"
    Study& s = study != studies.end() ? study->second : NewStudy(r);
    if (new_series) NewSeries(s, r);
    if (fresh) {
      if (new_series) ++s.num_series;
      InstanceRecord stored = r;
      stored.storage_key = *key;
      instances.emplace(h.sop_instance_uid, stored);
      for (SeriesSummary& se : s.series)
        if (se.series_uid == h.series_uid) ++se.num_instances;
      ++s.num_instances;
      s.size_bytes += r.size_bytes;
      if (!h.modality.empty() &&
          std::find(s.modalities.begin(), s.modalities.end(), h.modality) == s.modalities.end())
        s.modalities.push_back(h.modality);
      // The most specific class seen wins: CT over X-ray over other (enum order).
      s.modality_class = std::min(s.modality_class, r.modality_class);
      last_instance_at_[s.study_uid] = clock_.Now();
    }
    return IndexOutcome{s.id, fresh};
  }

  Status SetStorageKey(const std::string& sop, const std::string& key) override {
    if (outage) return Status::Unavailable("fake outage");
    auto it = instances.find(sop);
    if (it == instances.end()) return Status::NotFound("instance not indexed");
    it->second.storage_key = key;
    return Status::Ok();
  }

  Result<int> PromoteStableStudies(std::chrono::seconds quiet, const SlaTargets& sla) override {
    if (outage) return Status::Unavailable("fake outage");
    const TimePoint now = clock_.Now();
    int moved = 0;
    for (auto& [uid, s] : studies) {
      if (s.status != StudyStatus::kReceiving || LastInstanceAt(s) > now - quiet) continue;
      s.status = StudyStatus::kReady;
      s.ready_at = now;
      s.sla_due_at = now + Target(s.priority, sla);
      ++moved;
    }
    return moved;
  }

  Result<StudyPage> ListStudies(const StudyQuery& q) override {
    last_query = q;
    if (outage) return Status::Unavailable("fake outage");
    const bool inbox = q.facility_id.has_value();
    std::optional<SortKey> after;
    if (q.cursor) {
      after = DecodeCursor(*q.cursor, inbox);
      if (!after) return Status::InvalidArgument("bad cursor");
    }
    std::vector<Study> matching;
    for (const auto& [uid, stored] : studies) {
      Study s = WithFacility(stored);
      if (Matches(s, q) && (!after || KeyOf(s, inbox) > *after)) matching.push_back(s);
    }
    std::sort(matching.begin(), matching.end(), [inbox](const Study& a, const Study& b) {
      return KeyOf(a, inbox) < KeyOf(b, inbox);
    });
    StudyPage page;
    for (Study& s : matching) {
      if (static_cast<int>(page.items.size()) == q.limit) break;
      s.series.clear();  // filled by single-study reads only
      page.items.push_back(std::move(s));
    }
    if (static_cast<int>(matching.size()) > q.limit && !page.items.empty())
      page.next_cursor = EncodeCursor(KeyOf(page.items.back(), inbox), inbox);
    return page;
  }

  // The same rule as the guarded UPDATE: ready, or claimed and either the user's or expired.
  Result<ClaimOutcome> Claim(const std::string& uid, int64_t user_id, std::chrono::seconds lease,
                             AuditEntry& audit) override {
    if (outage) return Status::Unavailable("fake outage");
    auto it = studies.find(uid);
    if (it == studies.end()) return ClaimOutcome{};
    Study& s = it->second;
    ClaimOutcome out;
    out.found = true;
    const auto holder = claimed_by_id.find(uid);
    const bool mine = holder != claimed_by_id.end() && holder->second == user_id;
    if (s.status == StudyStatus::kReady ||
        (s.status == StudyStatus::kClaimed && (mine || LeaseRanOut(s)))) {
      if (Status appended = audit_log->Append(audit); !appended.ok()) return appended;
      s.status = StudyStatus::kClaimed;
      claimed_by_id[uid] = user_id;
      s.claimed_by = UsernameOf(user_id);
      s.claim_expires_at = clock_.Now() + lease;
      out.claimed = true;
    }
    out.status = s.status;
    out.expires_at = s.claim_expires_at;
    if (!out.claimed) out.holder = s.claimed_by;
    return out;
  }

  Result<bool> Release(const std::string& uid, int64_t user_id, AuditEntry& audit) override {
    if (outage) return Status::Unavailable("fake outage");
    auto it = studies.find(uid);
    auto holder = claimed_by_id.find(uid);
    if (it == studies.end() || it->second.status != StudyStatus::kClaimed ||
        holder == claimed_by_id.end() || holder->second != user_id)
      return false;
    if (Status appended = audit_log->Append(audit); !appended.ok()) return appended;
    EndClaim(it->second, StudyStatus::kReady);
    return true;
  }

  Result<bool> UpdateOrder(const std::string& uid, std::optional<Priority> priority,
                           const std::optional<std::string>& clinical_info, const SlaTargets& sla,
                           AuditEntry& audit) override {
    if (outage) return Status::Unavailable("fake outage");
    auto it = studies.find(uid);
    if (it == studies.end()) return Status::NotFound("no such study");
    Study& s = it->second;
    if (s.status == StudyStatus::kReported || s.status == StudyStatus::kCancelled) return false;
    if (Status appended = audit_log->Append(audit); !appended.ok()) return appended;
    if (priority) s.priority = *priority;
    if (clinical_info) s.clinical_info = *clinical_info;
    if (s.ready_at) s.sla_due_at = *s.ready_at + Target(s.priority, sla);
    return true;
  }

  Result<int> ExpireClaims() override {
    if (outage) return Status::Unavailable("fake outage");
    int expired = 0;
    for (auto& [uid, s] : studies) {
      if (s.status != StudyStatus::kClaimed || !LeaseRanOut(s)) continue;
      EndClaim(s, StudyStatus::kReady);
      ++expired;
    }
    return expired;
  }

  Result<std::optional<Study>> FindStudy(const std::string& uid) override {
    if (outage) return Status::Unavailable("fake outage");
    auto it = studies.find(uid);
    if (it == studies.end()) return std::optional<Study>();
    return std::optional<Study>(WithFacility(it->second));
  }

  Status Ping() override { return outage ? Status::Unavailable("fake outage") : Status::Ok(); }

  // Helpers for FakeReportRepository, which shares this index as the report table shares
  // the study table.
  const Clock& clock() const { return clock_; }
  std::string UsernameOf(int64_t user_id) const {
    auto it = usernames.find(user_id);
    return it != usernames.end() ? it->second : "user" + std::to_string(user_id);
  }
  // The facility's registry entry (its return address), when a facility repository is set.
  std::optional<Facility> FacilityOf(int64_t facility_id) const {
    if (!facilities_) return std::nullopt;
    auto all = facilities_->List();
    if (!all.ok()) return std::nullopt;
    for (const Facility& f : *all)
      if (f.id == facility_id) return f;
    return std::nullopt;
  }
  // The study's claim ends (signed, released or expired) and it moves to `next`.
  void EndClaim(Study& s, StudyStatus next) {
    s.status = next;
    s.claimed_by.reset();
    s.claim_expires_at.reset();
    claimed_by_id.erase(s.study_uid);
  }
  // A claim whose lease has run out (PostgreSQL: claim_expires_at <= now()).
  bool LeaseRanOut(const Study& s) const {
    return s.claim_expires_at && *s.claim_expires_at <= clock_.Now();
  }

  bool outage = false;
  // Where the changes' audit entries go: the fake's own log unless a test points several
  // fakes at one shared log.
  FakeAuditLog own_audit_log;
  FakeAuditLog* audit_log = &own_audit_log;
  std::map<std::string, InstanceRecord> instances;  // by SOP Instance UID
  std::map<std::string, Study> studies;             // by study UID, with their series
  std::map<std::string, int64_t> claimed_by_id;     // study UID -> holder's user id
  std::map<int64_t, std::string> usernames;         // default "user<id>"
  StudyQuery last_query;

 private:
  // (not critical, priority, deadline or "infinity", id): the order of both lists; the
  // worklist's first member is always 0.
  using SortKey = std::tuple<int, int, int64_t, int64_t>;

  static std::chrono::seconds Target(Priority p, const SlaTargets& sla) {
    switch (p) {
      case Priority::kStat:
        return sla.stat;
      case Priority::kUrgent:
        return sla.urgent;
      case Priority::kRoutine:
        return sla.routine;
    }
    return sla.routine;
  }

  static SortKey KeyOf(const Study& s, bool inbox) {
    const int64_t due = s.sla_due_at ? std::chrono::duration_cast<std::chrono::microseconds>(
                                           s.sla_due_at->time_since_epoch())
                                           .count()
                                     : INT64_MAX;
    return {inbox && !s.critical_pending ? 1 : 0, static_cast<int>(s.priority), due, s.id};
  }

  // Cursors name the last row's sort key, "w.<priority>.<due>.<id>" for the worklist and
  // "i.<critical>.<priority>.<due>.<id>" for an inbox, so one order's cursor is refused by
  // the other.
  static std::string EncodeCursor(const SortKey& k, bool inbox) {
    std::string c = inbox ? "i." + std::to_string(std::get<0>(k)) + "." : "w.";
    return c + std::to_string(std::get<1>(k)) + "." + std::to_string(std::get<2>(k)) + "." +
           std::to_string(std::get<3>(k));
  }
  static std::optional<SortKey> DecodeCursor(const std::string& c, bool inbox) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t i = 0; i <= c.size(); ++i)
      if (i == c.size() || c[i] == '.') {
        parts.push_back(c.substr(start, i - start));
        start = i + 1;
      }
    if (parts.size() != (inbox ? 5u : 4u) || parts[0] != (inbox ? "i" : "w")) return std::nullopt;
    std::vector<int64_t> n;
    for (size_t i = 1; i < parts.size(); ++i) {
      if (parts[i].empty() || parts[i].size() > 19 ||
          parts[i].find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
      n.push_back(std::stoll(parts[i]));
    }
    if (!inbox) n.insert(n.begin(), 0);
    return SortKey{static_cast<int>(n[0]), static_cast<int>(n[1]), n[2], n[3]};
  }

  bool Matches(const Study& s, const StudyQuery& q) const {
    return (!q.status || s.status == *q.status) &&
           (!q.modality_class || s.modality_class == *q.modality_class) &&
           (!q.priority || s.priority == *q.priority) &&
           (!q.facility_code || s.facility.code == *q.facility_code) &&
           (!q.aimag || s.facility.aimag == *q.aimag) &&
           (!q.facility_id || s.facility.id == *q.facility_id) &&
           (!q.received_from || s.received_at >= *q.received_from) &&
           (!q.received_to || s.received_at < *q.received_to);
  }

  // The facility's code, name and aimag as they are now (the SQL joins them on read).
  Study WithFacility(Study s) const {
    if (auto f = FacilityOf(s.facility.id)) {
      s.facility.code = f->code;
      s.facility.name = f->name;
      s.facility.aimag = f->aimag;
    }
    return s;
  }

  TimePoint LastInstanceAt(const Study& s) const {
    auto it = last_instance_at_.find(s.study_uid);
    return it != last_instance_at_.end() ? it->second : s.received_at;
  }

  // "YYYYMMDD" -> "YYYY-MM-DD" for a real calendar date, else "" (stored as NULL).
  static std::string IsoDate(const std::string& da) {
    if (da.size() != 8 || da.find_first_not_of("0123456789") != std::string::npos) return "";
    const int y = std::stoi(da.substr(0, 4)), m = std::stoi(da.substr(4, 2)),
              d = std::stoi(da.substr(6, 2));
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1800 || m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return "";
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return "";
    return da.substr(0, 4) + "-" + da.substr(4, 2) + "-" + da.substr(6, 2);
  }

  Study& NewStudy(const InstanceRecord& r) {
    const InstanceHeader& h = r.header;
    Study s;
    s.id = next_study_id_++;
    s.study_uid = h.study_uid;
    s.facility.id = r.facility_id;
    s.modality_class = r.modality_class;
    if (!h.modality.empty()) s.modalities.push_back(h.modality);
    s.patient = {h.patient_id, h.patient_name, IsoDate(h.patient_birth_date), h.patient_sex};
    s.accession_number = h.accession_number;
    s.study_date = IsoDate(h.study_date);
    s.description = h.study_description;
    s.received_at = clock_.Now();
    last_instance_at_[h.study_uid] = s.received_at;
    return studies[h.study_uid] = s;
  }

  // Series in the order FindStudy reads them: by number (none last), then creation.
  void NewSeries(Study& s, const InstanceRecord& r) {
    series_study_[r.header.series_uid] = s.study_uid;
    SeriesSummary se{r.header.series_uid, r.header.modality, r.header.series_number,
                     r.header.series_description, 0};
    auto at = std::find_if(s.series.begin(), s.series.end(), [&](const SeriesSummary& o) {
      return se.series_number && (!o.series_number || *o.series_number > *se.series_number);
    });
    s.series.insert(at, se);
  }

  const Clock& clock_;
  FacilityRepository* facilities_;
  std::map<std::string, TimePoint> last_instance_at_;  // by study UID
  std::map<std::string, std::string> series_study_;    // series UID -> study UID
  int64_t next_study_id_ = 1;
};

}  // namespace telerad
