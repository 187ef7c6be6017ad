// ConsultationService: the online hospital's e-examinations (цахим үзлэг, DESIGN.md flow
// 5). Both doors call it; the rules live here once:
// - a facility user books for its own facility only (taken from the principal, never
//   from the request), sees and cancels only its own (another facility's answers
//   kNotFound, so existence does not leak), and may cancel while requested or accepted;
// - a specialist sees those still requested (any facility) and those it accepted;
//   accepts one (requested → accepted, with a slot), completes it (accepted → completed,
//   with a conclusion and ICD codes) or marks it not attended (→ no_show), and may cancel
//   one it accepted, giving a reason. Only the specialist who accepted one completes,
//   marks or cancels it; for another specialist it is kNotFound like any e-examination it
//   cannot see (but one who loses the race to accept a booking gets kConflict: taken);
// - an admin sees all and may cancel; radiologists and ministry users get
//   kPermissionDenied (ministry users see aggregates only, never a patient);
// - a transition from the wrong status is kConflict naming the current one; a stale
//   expected version (If-Match) is kFailedPrecondition; bad input kUnprocessable, with a
//   message naming the field, never echoing patient data.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "src/base/model.h"
#include "src/base/status.h"
#include "src/online/consultation_repository.h"

namespace telerad {

// Limits on what a booking and a conclusion hold; larger input is kUnprocessable.
inline constexpr size_t kMaxPatientIdBytes = 64;
inline constexpr size_t kMaxPatientNameChars = 256;  // UTF-8 characters
inline constexpr size_t kMaxSpecialtyBytes = 64;
inline constexpr size_t kMaxConsultationReasonBytes = 4 * 1024;
inline constexpr size_t kMaxConclusionBytes = 64 * 1024;

// What a facility sends to book. `requested_at` unset: missing in the request.
struct ConsultationBooking {
  Patient patient;  // id required; birth_date "YYYY-MM-DD" or empty; sex M, F, O or empty
  std::string specialty;
  std::string reason;
  std::optional<TimePoint> requested_at;
};

class ConsultationService {
 public:
  // REQUIRES: `consultations` outlives this.
  explicit ConsultationService(ConsultationRepository& consultations);

  // Books an e-examination for `who`'s facility. kPermissionDenied for other roles,
  // kUnprocessable for invalid fields (patient.id, specialty, reason, requested_at
  // required).
  //
  // Book and the transitions below take the change's `audit` entry, which the
  // repository appends in the change's own transaction (setting its id, and for a
  // booking its object id); a refused change appends nothing.
  Result<Consultation> Book(const Principal& who, ConsultationBooking booking, AuditEntry& audit);

  // The e-examinations `who` may see, newest booking first. kInvalidArgument for a bad
  // cursor or a limit outside 1..200.
  Result<ConsultationPage> List(const Principal& who, ConsultationQuery query);

  // One e-examination by its id (decimal text, as in the URL). kNotFound when malformed,
  // absent or not visible to `who`.
  Result<Consultation> Get(const Principal& who, const std::string& id);

  // A specialist takes a requested one for `slot_at` (required).
  Result<Consultation> Accept(const Principal& who, const std::string& id,
                              std::optional<TimePoint> slot_at, std::optional<int> expected_version,
                              AuditEntry& audit);

  // The accepting specialist completes it: `conclusion` required (≤ 64 KiB), ICD codes
  // normalised as a report's (icd_code.h NormaliseIcdCodes).
  Result<Consultation> Complete(const Principal& who, const std::string& id, std::string conclusion,
                                std::vector<std::string> icd_codes,
                                std::optional<int> expected_version, AuditEntry& audit);

  // Cancels it: its facility or an admin while requested or accepted; the accepting
  // specialist while accepted, with a `reason` (required of a specialist, ≤ 4 KiB).
  Result<Consultation> Cancel(const Principal& who, const std::string& id, std::string reason,
                              std::optional<int> expected_version, AuditEntry& audit);

  // The accepting specialist records that the patient did not come (accepted → no_show).
  Result<Consultation> MarkNoShow(const Principal& who, const std::string& id,
                                  std::optional<int> expected_version, AuditEntry& audit);

 private:
  // The written e-examination, or the status explaining why `guard` stopped the write.
  Result<Consultation> Finish(const Principal& who, const TransitionGuard& guard,
                              Result<ConsultationWrite> write) const;

  ConsultationRepository& consultations_;
};

// Checks and normalises a booking in place: text trimmed, specialty lower-cased, sex
// upper-cased. kUnprocessable naming the first bad field.
Status ValidateBooking(ConsultationBooking& booking);

}  // namespace telerad
