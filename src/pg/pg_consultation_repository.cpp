#include "src/pg/pg_consultation_repository.h"

#include "src/pg/pg_audit_insert.h"
#include "src/pg/pg_cursor.h"
#include "src/pg/pg_pool.h"
#include "src/pg/pg_row.h"
#include "src/pg/pg_study_row.h"

namespace telerad {
namespace {

constexpr const char* kColumns =
    "SELECT c.id, c.facility_id, f.code, f.name, f.aimag, c.patient_id, c.patient_name,"
    " to_char(c.patient_birth_date, 'YYYY-MM-DD'), c.patient_sex, c.specialty, c.reason, "
    TELERAD_MICROS("c.requested_at") ", c.status, " TELERAD_MICROS("c.slot_at") ","
    " c.specialist_id, u.username, c.conclusion, array_to_string(c.icd_codes, ','),"
    " c.cancel_reason, c.version, " TELERAD_MICROS("c.created_at") ", "
    TELERAD_MICROS("c.accepted_at") ", " TELERAD_MICROS("c.completed_at") ", "
    TELERAD_MICROS("c.closed_at")
    " FROM consultation c JOIN facility f ON f.id = c.facility_id"
    " LEFT JOIN app_user u ON u.id = c.specialist_id";

// The guard every transition shares: $1 id, $2 the statuses it may leave (comma-joined),
// $3 the facility scope, $4 the accepting specialist, $5 the expected version. A status
// change and its guard are one statement, so concurrent writers on any number of servers
// cannot both pass it.
constexpr const char* kGuard =
    " WHERE id = $1 AND status = ANY (string_to_array($2, ','))"
    " AND ($3::bigint IS NULL OR facility_id = $3::bigint)"
    " AND ($4::bigint IS NULL OR specialist_id = $4::bigint)"
    " AND ($5::integer IS NULL OR version = $5::integer) RETURNING id";

// Offsets from the epoch in microseconds, for timestamptz parameters.
constexpr const char* kEpochPlus = "'epoch'::timestamptz + ";

// Keyset paging on id, newest booking first: the order the facility, status and
// specialist indexes of schema 0006 serve. $8: the last id of the previous page.
const std::string kList =
    std::string(kColumns) +
    " WHERE ($1::text IS NULL OR c.status = $1)"
    " AND ($2::text IS NULL OR c.specialty = $2)"
    " AND ($3::text IS NULL OR f.code = $3)"
    " AND ($4::bigint IS NULL OR c.requested_at >= " +
    kEpochPlus +
    "$4::bigint * interval '1 microsecond')"
    " AND ($5::bigint IS NULL OR c.requested_at < " +
    kEpochPlus +
    "$5::bigint * interval '1 microsecond')"
    " AND ($6::bigint IS NULL OR c.facility_id = $6::bigint)"
    " AND ($7::bigint IS NULL OR c.status = 'requested' OR c.specialist_id = $7::bigint)"
    " AND ($8::bigint IS NULL OR c.id < $8::bigint)"
    " ORDER BY c.id DESC LIMIT $9";

Consultation RowToConsultation(const pqxx::row& r) {
  Consultation c;
  c.id = r[0].as<int64_t>();
  c.facility.id = r[1].as<int64_t>();
  c.facility.code = r[2].as<std::string>();
  c.facility.name = r[3].as<std::string>();
  c.facility.aimag = TextOr(r[4]);
  c.patient.id = r[5].as<std::string>();
  c.patient.name = r[6].as<std::string>();
  c.patient.birth_date = TextOr(r[7]);
  c.patient.sex = r[8].as<std::string>();
  c.specialty = r[9].as<std::string>();
  c.reason = r[10].as<std::string>();
  c.requested_at = FromMicros(r[11].as<int64_t>());
  c.status =
      ParseConsultationStatus(r[12].as<std::string>()).value_or(ConsultationStatus::kRequested);
  c.slot_at = OptionalTime(r[13]);
  if (!r[14].is_null()) c.specialist_id = r[14].as<int64_t>();
  if (!r[15].is_null()) c.specialist = r[15].as<std::string>();
  c.conclusion = r[16].as<std::string>();
  c.icd_codes = Split(r[17].as<std::string>(), ',');
  c.cancel_reason = r[18].as<std::string>();
  c.version = r[19].as<int>();
  c.created_at = FromMicros(r[20].as<int64_t>());
  c.accepted_at = OptionalTime(r[21]);
  c.completed_at = OptionalTime(r[22]);
  c.closed_at = OptionalTime(r[23]);
  return c;
}

std::optional<Consultation> ReadOne(pqxx::transaction_base& txn, int64_t id) {
  pqxx::result rows = txn.exec_prepared("consultation_by_id", id);
  if (rows.empty()) return std::nullopt;
  return RowToConsultation(rows[0]);
}

template <typename T>
std::optional<std::string> OptNumber(const std::optional<T>& v) {
  if (!v) return std::nullopt;
  return std::to_string(static_cast<long long>(*v));
}

std::optional<std::string> OptMicros(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return std::to_string(ToMicros(*t));
}

// Codes are validated by the service (no commas); joined for string_to_array.
std::string Join(const std::vector<std::string>& parts) {
  std::string joined;
  for (const auto& p : parts) joined += (joined.empty() ? "" : ",") + p;
  return joined;
}

}  // namespace

PgConsultationRepository::PgConsultationRepository(PgPool& pool) : pool_(pool) {
  pool_.Prepare("consultation_by_id", std::string(kColumns) + " WHERE c.id = $1");
  pool_.Prepare("consultation_insert",
                "INSERT INTO consultation (facility_id, patient_id, patient_name,"
                " patient_birth_date, patient_sex, specialty, reason, requested_at, created_by)"
                " VALUES ($1, $2, $3, $4::date, $5, $6, $7, 'epoch'::timestamptz + $8::bigint"
                " * interval '1 microsecond', $9) RETURNING id");
  pool_.Prepare("consultation_accept",
                std::string("UPDATE consultation SET status = 'accepted', specialist_id = $6,"
                            " slot_at = 'epoch'::timestamptz + $7::bigint * interval"
                            " '1 microsecond', accepted_at = now(), version = version + 1") +
                    kGuard);
  pool_.Prepare("consultation_complete",
                std::string("UPDATE consultation SET status = 'completed', conclusion = $6,"
                            " icd_codes = string_to_array($7, ','), completed_at = now(),"
                            " version = version + 1") +
                    kGuard);
  pool_.Prepare("consultation_cancel",
                std::string("UPDATE consultation SET status = 'cancelled', cancel_reason = $6,"
                            " closed_at = now(), version = version + 1") +
                    kGuard);
  pool_.Prepare("consultation_no_show",
                std::string("UPDATE consultation SET status = 'no_show', closed_at = now(),"
                            " version = version + 1") +
                    kGuard);
}

Result<Consultation> PgConsultationRepository::Create(const NewConsultation& b, AuditEntry& audit) {
  std::optional<Consultation> created;
  std::optional<std::string> birth_date;
  if (!b.patient.birth_date.empty()) birth_date = b.patient.birth_date;
  Status s = pool_.Run([&](pqxx::work& txn) {
    pqxx::result rows = txn.exec_prepared(
        "consultation_insert", b.facility_id, b.patient.id, b.patient.name, OrNull(birth_date),
        b.patient.sex, b.specialty, b.reason, ToMicros(b.requested_at), b.created_by);
    const int64_t id = rows[0][0].as<int64_t>();
    created = ReadOne(txn, id);
    audit.object_id = std::to_string(id);  // known only now
    audit.id = InsertAudit(txn, audit);
  });
  if (!s.ok()) return s;
  if (!created) return Status::Internal("consultation vanished after insert");
  return std::move(*created);
}

Result<std::optional<Consultation>> PgConsultationRepository::Find(int64_t id) {
  std::optional<Consultation> found;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) { found = ReadOne(txn, id); });
  if (!s.ok()) return s;
  return found;
}

Result<ConsultationPage> PgConsultationRepository::List(const ConsultationQuery& q) {
  std::optional<std::string> after;
  if (q.cursor) {
    std::string id;
    // The last row's id: opaque to clients.
    if (!ParseIdCursor(*q.cursor, &id)) return Status::InvalidArgument("bad cursor");
    after = id;
  }
  std::optional<std::string> status;
  if (q.status) status = ToString(*q.status);
  ConsultationPage page;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    page.items.clear();
    // Unnamed: planned for the filters actually present (as the audit list is).
    pqxx::result rows =
        txn.exec_params(kList, OrNull(status), OrNull(q.specialty), OrNull(q.facility_code),
                        OrNull(OptMicros(q.requested_from)), OrNull(OptMicros(q.requested_to)),
                        OrNull(OptNumber(q.facility_id)), OrNull(OptNumber(q.specialist_id)),
                        OrNull(after), q.limit + 1);
    for (const auto& r : rows) page.items.push_back(RowToConsultation(r));
  });
  if (!s.ok()) return s;
  if (static_cast<int>(page.items.size()) > q.limit) {
    page.items.pop_back();
    page.next_cursor = std::to_string(page.items.back().id);
  }
  return page;
}

Result<ConsultationWrite> PgConsultationRepository::Transition(
    const char* statement, int64_t id, const TransitionGuard& guard,
    const std::vector<std::optional<std::string>>& extra, AuditEntry& audit) {
  std::vector<std::string> from;
  for (ConsultationStatus st : guard.from) from.push_back(ToString(st));
  // Every parameter as text or NULL; the statement's casts give them their types.
  std::vector<const char*> params = {nullptr, nullptr, nullptr, nullptr, nullptr};
  const std::string id_text = std::to_string(id), from_text = Join(from);
  const auto facility = OptNumber(guard.facility_id), specialist = OptNumber(guard.specialist_id),
             version = OptNumber(guard.version);
  params[0] = id_text.c_str();
  params[1] = from_text.c_str();
  params[2] = OrNull(facility);
  params[3] = OrNull(specialist);
  params[4] = OrNull(version);
  for (const auto& e : extra) params.push_back(OrNull(e));
  ConsultationWrite out;
  Status s = pool_.Run([&](pqxx::work& txn) {
    out = ConsultationWrite{};
    pqxx::result rows = txn.exec_prepared(statement, pqxx::prepare::make_dynamic_params(params));
    out.consultation = ReadOne(txn, id);
    if (rows.empty()) {
      out.block = WhyBlocked(out.consultation, guard);
      // The row changed between the UPDATE and this read (another server's write): the
      // guard failed on the state the UPDATE saw, which is no longer visible.
      if (out.block == TransitionBlock::kNone) out.block = TransitionBlock::kWrongState;
      return;
    }
    audit.id = InsertAudit(txn, audit);
  });
  if (!s.ok()) return s;
  return out;
}

Result<ConsultationWrite> PgConsultationRepository::Accept(int64_t id, const TransitionGuard& guard,
                                                           int64_t specialist_id, TimePoint slot_at,
                                                           AuditEntry& audit) {
  return Transition("consultation_accept", id, guard,
                    {std::to_string(specialist_id), std::to_string(ToMicros(slot_at))}, audit);
}

Result<ConsultationWrite> PgConsultationRepository::Complete(
    int64_t id, const TransitionGuard& guard, const std::string& conclusion,
    const std::vector<std::string>& icd_codes, AuditEntry& audit) {
  return Transition("consultation_complete", id, guard, {conclusion, Join(icd_codes)}, audit);
}

Result<ConsultationWrite> PgConsultationRepository::Cancel(int64_t id, const TransitionGuard& guard,
                                                           const std::string& reason,
                                                           AuditEntry& audit) {
  return Transition("consultation_cancel", id, guard, {reason}, audit);
}

Result<ConsultationWrite> PgConsultationRepository::MarkNoShow(int64_t id,
                                                               const TransitionGuard& guard,
                                                               AuditEntry& audit) {
  return Transition("consultation_no_show", id, guard, {}, audit);
}

}  // namespace telerad
