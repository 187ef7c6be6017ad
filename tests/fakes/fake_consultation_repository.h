// FakeConsultationRepository: online-hospital e-examinations in memory, for unit tests of
// the consultation service.
//
// It keeps PgConsultationRepository's rules that tests/contract/
// consultation_repository_contract.h checks against both: transitions apply the shared
// guard (WhyBlocked) so the service sees the same refusals, each write bumps the version
// and stamps its time, and List filters, orders (newest booking first) and pages with a
// cursor as the SQL does. The clock and the facility repository (for the facility's code,
// name and aimag, which the SQL joins) are the caller's and must outlive the fake.
// `usernames` names the specialists ("user<id>" by default). `outage` makes every call
// kUnavailable. Not thread-safe: unit tests call it from one thread.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "src/base/clock.h"
#include "src/index/facility_repository.h"
#include "src/online/consultation_repository.h"
#include "tests/fakes/fake_audit_log.h"

namespace telerad {

class FakeConsultationRepository : public ConsultationRepository {
 public:
  explicit FakeConsultationRepository(const Clock& clock = SystemClock::Instance(),
                                      FacilityRepository* facilities = nullptr)
      : clock_(clock), facilities_(facilities) {}

  Result<Consultation> Create(const NewConsultation& b, AuditEntry& audit) override {
    if (outage) return Status::Unavailable("fake outage");
    audit.object_id = std::to_string(next_id);
    if (Status appended = audit_log->Append(audit); !appended.ok()) return appended;
    Consultation c;
    c.id = next_id++;
    c.facility.id = b.facility_id;
    c.facility.code = "F" + std::to_string(b.facility_id);
    c.patient = b.patient;
    c.specialty = b.specialty;
    c.reason = b.reason;
    c.requested_at = b.requested_at;
    c.created_at = clock_.Now();
    rows[c.id] = c;
    return WithFacility(c);
  }

  Result<std::optional<Consultation>> Find(int64_t id) override {
    if (outage) return Status::Unavailable("fake outage");
    auto it = rows.find(id);
    if (it == rows.end()) return std::optional<Consultation>();
    return std::optional<Consultation>(WithFacility(it->second));
  }

  Result<ConsultationPage> List(const ConsultationQuery& q) override {
    last_query = q;
    if (outage) return Status::Unavailable("fake outage");
    std::optional<int64_t> before;
    if (q.cursor) {
      const std::string& c = *q.cursor;
      if (c.empty() || c.size() > 18 || c.find_first_not_of("0123456789") != std::string::npos)
        return Status::InvalidArgument("bad cursor");
      before = std::stoll(c);
    }
    ConsultationPage page;
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
      const Consultation c = WithFacility(it->second);
      if (before && c.id >= *before) continue;
      if (!Matches(c, q)) continue;
      if (static_cast<int>(page.items.size()) == q.limit) {
        page.next_cursor = std::to_string(page.items.back().id);
        break;
      }
      page.items.push_back(c);
    }
    return page;
  }

  Result<ConsultationWrite> Accept(int64_t id, const TransitionGuard& g, int64_t specialist_id,
                                   TimePoint slot_at, AuditEntry& audit) override {
    return Apply(id, g, audit, [&](Consultation& c) {
      c.status = ConsultationStatus::kAccepted;
      c.specialist_id = specialist_id;
      c.specialist = UsernameOf(specialist_id);
      c.slot_at = slot_at;
      c.accepted_at = clock_.Now();
    });
  }
  Result<ConsultationWrite> Complete(int64_t id, const TransitionGuard& g,
                                     const std::string& conclusion,
                                     const std::vector<std::string>& codes,
                                     AuditEntry& audit) override {
    return Apply(id, g, audit, [&](Consultation& c) {
      c.status = ConsultationStatus::kCompleted;
      c.conclusion = conclusion;
      c.icd_codes = codes;
      c.completed_at = clock_.Now();
    });
  }
  Result<ConsultationWrite> Cancel(int64_t id, const TransitionGuard& g, const std::string& reason,
                                   AuditEntry& audit) override {
    return Apply(id, g, audit, [&](Consultation& c) {
      c.status = ConsultationStatus::kCancelled;
      c.cancel_reason = reason;
      c.closed_at = clock_.Now();
    });
  }
  Result<ConsultationWrite> MarkNoShow(int64_t id, const TransitionGuard& g,
                                       AuditEntry& audit) override {
    return Apply(id, g, audit, [&](Consultation& c) {
      c.status = ConsultationStatus::kNoShow;
      c.closed_at = clock_.Now();
    });
  }

  bool outage = false;
  // Where the changes' audit entries go: the fake's own log unless a test points several
  // fakes at one shared log.
  FakeAuditLog own_audit_log;
  FakeAuditLog* audit_log = &own_audit_log;
  int64_t next_id = 1;
  std::map<int64_t, Consultation> rows;
  std::map<int64_t, std::string> usernames;
  ConsultationQuery last_query;

 private:
  template <typename Change>
  Result<ConsultationWrite> Apply(int64_t id, const TransitionGuard& g, AuditEntry& audit,
                                  Change change) {
    if (outage) return Status::Unavailable("fake outage");
    ConsultationWrite out;
    auto it = rows.find(id);
    std::optional<Consultation> current;
    if (it != rows.end()) current = it->second;
    out.block = WhyBlocked(current, g);
    if (out.block == TransitionBlock::kNone) {
      if (Status appended = audit_log->Append(audit); !appended.ok()) return appended;
      change(it->second);
      ++it->second.version;
      current = it->second;
    }
    if (current) current = WithFacility(*current);
    out.consultation = current;
    return out;
  }

  // The SQL's filters; a specialist sees those still requested and those it accepted.
  bool Matches(const Consultation& c, const ConsultationQuery& q) const {
    return (!q.status || c.status == *q.status) && (!q.specialty || c.specialty == *q.specialty) &&
           (!q.facility_code || c.facility.code == *q.facility_code) &&
           (!q.requested_from || c.requested_at >= *q.requested_from) &&
           (!q.requested_to || c.requested_at < *q.requested_to) &&
           (!q.facility_id || c.facility.id == *q.facility_id) &&
           (!q.specialist_id || c.status == ConsultationStatus::kRequested ||
            c.specialist_id == q.specialist_id);
  }

  // The facility's code, name and aimag as they are now (the SQL joins them on read).
  Consultation WithFacility(Consultation c) const {
    if (!facilities_) return c;
    auto all = facilities_->List();
    if (!all.ok()) return c;
    for (const Facility& f : *all)
      if (f.id == c.facility.id) {
        c.facility.code = f.code;
        c.facility.name = f.name;
        c.facility.aimag = f.aimag;
      }
    return c;
  }

  std::string UsernameOf(int64_t user_id) const {
    auto it = usernames.find(user_id);
    return it != usernames.end() ? it->second : "user" + std::to_string(user_id);
  }

  const Clock& clock_;
  FacilityRepository* facilities_;
};

}  // namespace telerad
