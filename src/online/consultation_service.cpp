#include "src/online/consultation_service.h"

#include <algorithm>
#include <cctype>

#include "src/base/icd_code.h"
#include "src/base/text.h"

namespace telerad {
namespace {

// Characters in `text` when it is well-formed UTF-8, else nullopt.
std::optional<size_t> Utf8Chars(const std::string& text) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++chars) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t len = c < 0x80           ? 1
                       : (c >> 5) == 0x6  ? 2
                       : (c >> 4) == 0xE  ? 3
                       : (c >> 3) == 0x1E ? 4
                                          : 0;
    if (len == 0 || i + len > text.size() || (len == 2 && c < 0xC2)) return std::nullopt;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return std::nullopt;
    i += len;
  }
  return chars;
}

// Text PostgreSQL stores as given and a client shows safely: UTF-8 without NUL or other
// control characters (line breaks and tabs allowed in free text only).
Status CheckText(const std::string& text, const char* field, bool multi_line) {
  if (!Utf8Chars(text)) return Status::Unprocessable(std::string("'") + field + "' must be UTF-8");
  for (unsigned char c : text)
    if ((c < 0x20 && !(multi_line && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7f)
      return Status::Unprocessable(std::string("'") + field +
                                   "' must not contain control characters");
  return Status::Ok();
}

bool IsIsoDate(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
  const int y = std::stoi(d.substr(0, 4)), m = std::stoi(d.substr(5, 2)),
            day = std::stoi(d.substr(8, 2));
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1800 || m < 1 || m > 12 || day < 1 || day > kDays[m - 1]) return false;
  return !(m == 2 && day == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

// "42" → 42; nullopt for anything that is not a positive id (the route answers 404).
std::optional<int64_t> ParseId(const std::string& text) {
  if (text.empty() || text.size() > 18 || text[0] == '0' ||
      text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoll(text);
}

// Who may see an e-examination: its facility, the specialists while it is requested and
// the one who accepted it afterwards, admins. An allow-list, so a role added later sees none.
bool Visible(const Principal& who, const Consultation& c) {
  switch (who.role) {
    case Role::kAdmin:
      return true;
    case Role::kFacility:
      return who.facility_id && c.facility.id == *who.facility_id;
    case Role::kSpecialist:
      return c.status == ConsultationStatus::kRequested || c.specialist_id == who.user_id;
    case Role::kRadiologist:
    case Role::kMinistry:
      return false;
  }
  return false;
}

Status ReadersOnly(const Principal& who) {
  switch (who.role) {
    case Role::kMinistry:
      return Status::PermissionDenied("ministry accounts see aggregates only");
    case Role::kRadiologist:
      return Status::PermissionDenied("radiologists do not take e-examinations");
    case Role::kFacility:
      if (!who.facility_id) return Status::PermissionDenied("facility account without facility");
      return Status::Ok();
    case Role::kAdmin:
    case Role::kSpecialist:
      return Status::Ok();
  }
  return Status::PermissionDenied("this role does not read e-examinations");
}

Status SpecialistOnly(const Principal& who, const char* what) {
  if (who.role != Role::kSpecialist)
    return Status::PermissionDenied(std::string("only specialists ") + what);
  return Status::Ok();
}

const Status kNoSuch = Status::NotFound("no such e-examination");

}  // namespace

Status ValidateBooking(ConsultationBooking& b) {
  Patient& p = b.patient;
  p.id = Trimmed(p.id);
  p.name = Trimmed(p.name);
  p.birth_date = Trimmed(p.birth_date);
  p.sex = Trimmed(p.sex);
  b.specialty = Trimmed(b.specialty);
  b.reason = Trimmed(b.reason);
  if (p.id.empty()) return Status::Unprocessable("'patient.id' is required");
  if (p.id.size() > kMaxPatientIdBytes)
    return Status::Unprocessable("'patient.id' is limited to 64 bytes");
  if (Status s = CheckText(p.id, "patient.id", false); !s.ok()) return s;
  if (Status s = CheckText(p.name, "patient.name", false); !s.ok()) return s;
  if (*Utf8Chars(p.name) > kMaxPatientNameChars)
    return Status::Unprocessable("'patient.name' is limited to 256 characters");
  if (!p.birth_date.empty() && !IsIsoDate(p.birth_date))
    return Status::Unprocessable("'patient.birth_date' must be a date YYYY-MM-DD");
  std::transform(p.sex.begin(), p.sex.end(), p.sex.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  if (!p.sex.empty() && p.sex != "M" && p.sex != "F" && p.sex != "O")
    return Status::Unprocessable("'patient.sex' must be M, F, O or empty");
  if (b.specialty.empty()) return Status::Unprocessable("'specialty' is required");
  if (b.specialty.size() > kMaxSpecialtyBytes)
    return Status::Unprocessable("'specialty' is limited to 64 bytes");
  if (Status s = CheckText(b.specialty, "specialty", false); !s.ok()) return s;
  // One spelling per specialty, so the specialists' filter finds every booking of it.
  std::transform(b.specialty.begin(), b.specialty.end(), b.specialty.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (b.reason.empty()) return Status::Unprocessable("'reason' is required");
  if (b.reason.size() > kMaxConsultationReasonBytes)
    return Status::Unprocessable("'reason' is limited to 4 KiB");
  if (Status s = CheckText(b.reason, "reason", true); !s.ok()) return s;
  if (!b.requested_at) return Status::Unprocessable("'requested_at' is required");
  return Status::Ok();
}

ConsultationService::ConsultationService(ConsultationRepository& consultations)
    : consultations_(consultations) {}

Result<Consultation> ConsultationService::Book(const Principal& who, ConsultationBooking booking,
                                               AuditEntry& audit) {
  if (who.role != Role::kFacility)
    return Status::PermissionDenied("only a facility's users book e-examinations");
  if (!who.facility_id) return Status::PermissionDenied("facility account without facility");
  if (Status s = ValidateBooking(booking); !s.ok()) return s;
  NewConsultation row;
  row.facility_id = *who.facility_id;  // never from the request
  row.created_by = who.user_id;
  row.patient = std::move(booking.patient);
  row.specialty = std::move(booking.specialty);
  row.reason = std::move(booking.reason);
  row.requested_at = *booking.requested_at;
  return consultations_.Create(row, audit);
}

Result<ConsultationPage> ConsultationService::List(const Principal& who, ConsultationQuery query) {
  if (Status s = ReadersOnly(who); !s.ok()) return s;
  if (query.limit < 1 || query.limit > 200)
    return Status::InvalidArgument("limit must be between 1 and 200");
  if (query.specialty) {
    std::string& sp = *query.specialty;
    std::transform(sp.begin(), sp.end(), sp.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  }
  query.facility_id.reset();
  query.specialist_id.reset();
  if (who.role == Role::kFacility) query.facility_id = who.facility_id;
  if (who.role == Role::kSpecialist) query.specialist_id = who.user_id;
  return consultations_.List(query);
}

Result<Consultation> ConsultationService::Get(const Principal& who, const std::string& id) {
  if (Status s = ReadersOnly(who); !s.ok()) return s;
  auto parsed = ParseId(id);
  if (!parsed) return kNoSuch;
  auto found = consultations_.Find(*parsed);
  if (!found.ok()) return found.status();
  if (!found->has_value() || !Visible(who, **found)) return kNoSuch;
  return std::move(**found);
}

Result<Consultation> ConsultationService::Accept(const Principal& who, const std::string& id,
                                                 std::optional<TimePoint> slot_at,
                                                 std::optional<int> expected_version,
                                                 AuditEntry& audit) {
  if (Status s = SpecialistOnly(who, "accept e-examinations"); !s.ok()) return s;
  auto parsed = ParseId(id);
  if (!parsed) return kNoSuch;
  if (!slot_at) return Status::Unprocessable("'slot_at' is required");
  TransitionGuard guard{
      {ConsultationStatus::kRequested}, std::nullopt, std::nullopt, expected_version};
  return Finish(who, guard, consultations_.Accept(*parsed, guard, who.user_id, *slot_at, audit));
}

Result<Consultation> ConsultationService::Complete(const Principal& who, const std::string& id,
                                                   std::string conclusion,
                                                   std::vector<std::string> icd_codes,
                                                   std::optional<int> expected_version,
                                                   AuditEntry& audit) {
  if (Status s = SpecialistOnly(who, "complete e-examinations"); !s.ok()) return s;
  auto parsed = ParseId(id);
  if (!parsed) return kNoSuch;
  conclusion = Trimmed(conclusion);
  if (conclusion.empty()) return Status::Unprocessable("'conclusion' is required");
  if (conclusion.size() > kMaxConclusionBytes)
    return Status::Unprocessable("'conclusion' is limited to 64 KiB");
  if (Status s = CheckText(conclusion, "conclusion", true); !s.ok()) return s;
  if (Status s = NormaliseIcdCodes(icd_codes); !s.ok()) return s;
  TransitionGuard guard{
      {ConsultationStatus::kAccepted}, std::nullopt, who.user_id, expected_version};
  return Finish(who, guard, consultations_.Complete(*parsed, guard, conclusion, icd_codes, audit));
}

Result<Consultation> ConsultationService::Cancel(const Principal& who, const std::string& id,
                                                 std::string reason,
                                                 std::optional<int> expected_version,
                                                 AuditEntry& audit) {
  TransitionGuard guard{{ConsultationStatus::kRequested, ConsultationStatus::kAccepted},
                        std::nullopt,
                        std::nullopt,
                        expected_version};
  switch (who.role) {
    case Role::kFacility:
      if (!who.facility_id) return Status::PermissionDenied("facility account without facility");
      guard.facility_id = who.facility_id;
      break;
    case Role::kSpecialist:
      // A specialist gives back only its own accepted one, and says why: the facility
      // has to rebook.
      guard.from = {ConsultationStatus::kAccepted};
      guard.specialist_id = who.user_id;
      break;
    case Role::kAdmin:
      break;
    case Role::kRadiologist:
    case Role::kMinistry:
      return Status::PermissionDenied("this role does not cancel e-examinations");
  }
  auto parsed = ParseId(id);
  if (!parsed) return kNoSuch;
  reason = Trimmed(reason);
  if (who.role == Role::kSpecialist && reason.empty())
    return Status::Unprocessable("'reason' is required when a specialist cancels");
  if (reason.size() > kMaxConsultationReasonBytes)
    return Status::Unprocessable("'reason' is limited to 4 KiB");
  if (Status s = CheckText(reason, "reason", true); !s.ok()) return s;
  return Finish(who, guard, consultations_.Cancel(*parsed, guard, reason, audit));
}

Result<Consultation> ConsultationService::MarkNoShow(const Principal& who, const std::string& id,
                                                     std::optional<int> expected_version,
                                                     AuditEntry& audit) {
  if (Status s = SpecialistOnly(who, "mark e-examinations as not attended"); !s.ok()) return s;
  auto parsed = ParseId(id);
  if (!parsed) return kNoSuch;
  TransitionGuard guard{
      {ConsultationStatus::kAccepted}, std::nullopt, who.user_id, expected_version};
  return Finish(who, guard, consultations_.MarkNoShow(*parsed, guard, audit));
}

Result<Consultation> ConsultationService::Finish(const Principal& who, const TransitionGuard& guard,
                                                 Result<ConsultationWrite> write) const {
  if (!write.ok()) return write.status();
  const auto& current = write->consultation;
  if (write->block == TransitionBlock::kNone && current) return *current;
  // What `who` may not see answers as if absent, whatever stopped the write; except
  // that a specialist who lost the race to accept a booking it saw learns that it was
  // taken (not by whom), as a second claimer of a study does.
  const bool lost_accept_race = write->block == TransitionBlock::kWrongState &&
                                guard.from.size() == 1 &&
                                guard.from[0] == ConsultationStatus::kRequested;
  if (!current || (!Visible(who, *current) && !lost_accept_race)) return kNoSuch;
  // A specialist's complete, no-show or cancel acts only on its own acceptance: on one
  // it did not accept (still requested, or another's) it answers as if absent, never a
  // conflict that tells the state of a booking it has no part in.
  if (guard.specialist_id && current->specialist_id != guard.specialist_id) return kNoSuch;
  switch (write->block) {
    case TransitionBlock::kNone:
    case TransitionBlock::kNotFound:
    case TransitionBlock::kNotAssignee:
      return kNoSuch;
    case TransitionBlock::kWrongState: {
      std::string expected;
      for (ConsultationStatus s : guard.from)
        expected += (expected.empty() ? "" : " or ") + std::string(ToString(s));
      return Status::Conflict(std::string("the e-examination is ") + ToString(current->status) +
                              ", not " + expected);
    }
    case TransitionBlock::kStaleVersion:
      return Status::FailedPrecondition("the e-examination is at version " +
                                        std::to_string(current->version) +
                                        ": reload it and try again");
  }
  return Status::Internal("unknown consultation write outcome");
}

}  // namespace telerad
