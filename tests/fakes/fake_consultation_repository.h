// FakeConsultationRepository: e-examinations in memory, for unit tests of the
// consultation service. Not thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "src/online/consultation_repository.h"

namespace telerad {

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

}  // namespace telerad
