// ConsultationRepository: online-hospital e-examinations as the services see them.
// Implementations: PgConsultationRepository (PostgreSQL), FakeConsultationRepository
// (tests). Thread-safe. Every method may fail with kUnavailable when the database is down.
//
// Every transition is one UPDATE guarded by the expected current status (and the
// caller's scope and expected version), so of two servers on one database changing the
// same e-examination at once exactly one wins (DESIGN.md, "Study states"). When the guard
// does not hold, nothing changes and the write says why (TransitionBlock), with the row
// as it now is, for the service to turn into a status. A transition that happens appends
// its `audit` entry in the same transaction (and sets its id); a blocked one appends
// nothing, and a failed append rolls the transition back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "src/base/audit_entry.h"
#include "src/base/model.h"
#include "src/base/status.h"

namespace telerad {

// A new booking. REQUIRES: validated by ConsultationService.
struct NewConsultation {
  int64_t facility_id = 0;
  int64_t created_by = 0;  // the booking user
  Patient patient;         // birth_date "YYYY-MM-DD" or empty
  std::string specialty;
  std::string reason;
  TimePoint requested_at;
};

// What must hold for a transition to happen. Unset fields do not constrain.
struct TransitionGuard {
  std::vector<ConsultationStatus> from;  // the statuses it may leave; never empty
  std::optional<int64_t> facility_id;    // facility users: only their own
  std::optional<int64_t> specialist_id;  // only the specialist who accepted it
  std::optional<int> version;            // the version the caller read (If-Match)
};

// Why a transition did not happen, checked in this order.
enum class TransitionBlock {
  kNone,          // written
  kNotFound,      // no such e-examination, or outside the guard's facility
  kWrongState,    // its status is not one of guard.from
  kNotAssignee,   // accepted by another specialist than guard.specialist_id
  kStaleVersion,  // its version is not guard.version
};

// The guard against the row as it is: what the guarded UPDATE found. Shared by every
// implementation, so that they explain a refusal alike.
TransitionBlock WhyBlocked(const std::optional<Consultation>& current,
                           const TransitionGuard& guard);

struct ConsultationWrite {
  TransitionBlock block = TransitionBlock::kNone;
  std::optional<Consultation> consultation;  // after the write; if blocked, as it is (if any)
};

// A list query. Unset fields do not filter.
struct ConsultationQuery {
  std::optional<ConsultationStatus> status;
  std::optional<std::string> specialty;
  std::optional<std::string> facility_code;
  std::optional<TimePoint> requested_from;  // requested_at >= from
  std::optional<TimePoint> requested_to;    // requested_at < to
  // Scopes the service sets from the caller, never from the request:
  std::optional<int64_t> facility_id;  // a facility's own
  // A specialist's: those still requested (any facility) and those this user accepted.
  std::optional<int64_t> specialist_id;
  int limit = 50;
  std::optional<std::string> cursor;  // opaque, from a previous page
};

struct ConsultationPage {
  std::vector<Consultation> items;
  std::optional<std::string> next_cursor;
};

class ConsultationRepository {
 public:
  virtual ~ConsultationRepository() = default;

  // Stores a booking as `requested`, version 1; returns it as stored.
  // Its `audit` entry is appended in the same transaction, naming the new id.
  virtual Result<Consultation> Create(const NewConsultation& booking, AuditEntry& audit) = 0;

  // The e-examination with this id, or nullopt.
  virtual Result<std::optional<Consultation>> Find(int64_t id) = 0;

  // Matching e-examinations, newest booking first (id descending). kInvalidArgument for
  // a cursor this repository did not issue.
  virtual Result<ConsultationPage> List(const ConsultationQuery& query) = 0;

  // requested → accepted by `specialist_id` for `slot_at`.
  virtual Result<ConsultationWrite> Accept(int64_t id, const TransitionGuard& guard,
                                           int64_t specialist_id, TimePoint slot_at,
                                           AuditEntry& audit) = 0;
  // accepted → completed with the conclusion and (validated) ICD codes.
  virtual Result<ConsultationWrite> Complete(int64_t id, const TransitionGuard& guard,
                                             const std::string& conclusion,
                                             const std::vector<std::string>& icd_codes,
                                             AuditEntry& audit) = 0;
  // → cancelled with `reason` (may be empty).
  virtual Result<ConsultationWrite> Cancel(int64_t id, const TransitionGuard& guard,
                                           const std::string& reason, AuditEntry& audit) = 0;
  // accepted → no_show.
  virtual Result<ConsultationWrite> MarkNoShow(int64_t id, const TransitionGuard& guard,
                                               AuditEntry& audit) = 0;
};

inline TransitionBlock WhyBlocked(const std::optional<Consultation>& current,
                                  const TransitionGuard& guard) {
  if (!current) return TransitionBlock::kNotFound;
  if (guard.facility_id && current->facility.id != *guard.facility_id)
    return TransitionBlock::kNotFound;
  bool from = false;
  for (ConsultationStatus s : guard.from) from = from || s == current->status;
  if (!from) return TransitionBlock::kWrongState;
  if (guard.specialist_id && current->specialist_id != guard.specialist_id)
    return TransitionBlock::kNotAssignee;
  if (guard.version && current->version != *guard.version) return TransitionBlock::kStaleVersion;
  return TransitionBlock::kNone;
}

}  // namespace telerad
