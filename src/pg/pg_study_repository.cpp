#include "src/pg/pg_study_repository.h"

#include "src/base/uid.h"
#include "src/pg/pg_audit_insert.h"
#include "src/pg/pg_instance_description.h"
#include "src/pg/pg_pool.h"
#include "src/pg/pg_row.h"
#include "src/pg/pg_study_row.h"
#include "src/pg/pg_worklist_query.h"

namespace telerad {
namespace {

// "YYYYMMDD" → "YYYY-MM-DD" when it is a real calendar date, else nullopt: a bad date in
// a header must not make the index transaction fail.
std::optional<std::string> IsoDate(const std::string& da) {
  if (da.size() != 8) return std::nullopt;
  for (char c : da)
    if (c < '0' || c > '9') return std::nullopt;
  int y = std::stoi(da.substr(0, 4)), m = std::stoi(da.substr(4, 2)),
      d = std::stoi(da.substr(6, 2));
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1800 || m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return std::nullopt;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return std::nullopt;
  return da.substr(0, 4) + "-" + da.substr(4, 2) + "-" + da.substr(6, 2);
}

// Keys of the transaction-level advisory locks that let one server process at a time run
// a sweep (pg_try_advisory_xact_lock). Each sweep's guarded UPDATE already moves a study
// once however many processes run it; the lock only spares the others the scan and the
// wait on row locks the first one holds. Any fixed bigint not used elsewhere will do.
constexpr int64_t kPromoteSweepLock = 0x7465'6c65'7261'6401;  // "telerad" + 1
constexpr int64_t kExpireSweepLock = 0x7465'6c65'7261'6402;

template <typename T>
std::optional<std::string> OptNumber(const std::optional<T>& v) {
  if (!v) return std::nullopt;
  return std::to_string(static_cast<long long>(*v));
}

}  // namespace

PgStudyRepository::PgStudyRepository(PgPool& pool) : pool_(pool) {
  pool_.Prepare("instance_find",
                "SELECT st.facility_id, st.study_uid, se.series_uid, i.storage_key FROM instance i"
                " JOIN series se ON se.id = i.series_id JOIN study st ON st.id = se.study_id"
                " WHERE i.sop_instance_uid = $1");
  // libpqxx 6 binds no arrays: the UIDs go as one text[] literal (digits and dots only,
  // checked by the caller's IsValidUid, so no quoting is needed).
  pool_.Prepare(
      "instance_find_many",
      "SELECT i.sop_instance_uid, st.facility_id, st.study_uid, se.series_uid,"
      " i.storage_key FROM instance i JOIN series se ON se.id = i.series_id"
      " JOIN study st ON st.id = se.study_id WHERE i.sop_instance_uid = ANY ($1::text[])");
  // A transaction id makes the COMMIT write a commit record, and a synchronous commit
  // flushes the WAL up to it, hence every asynchronous commit before it.
  pool_.Prepare("wal_flush_xid", "SELECT txid_current()");
  pool_.Prepare("instance_series", "SELECT series_id FROM instance WHERE sop_instance_uid = $1");
  pool_.Prepare("instance_set_key",
                "UPDATE instance SET storage_key = $2 WHERE sop_instance_uid = $1");
  pool_.Prepare("study_find_for_index", "SELECT id, facility_id FROM study WHERE study_uid = $1");
  pool_.Prepare("study_insert",
                "INSERT INTO study (study_uid, facility_id, modality_class, modalities, patient_id,"
                " patient_name, patient_birth_date, patient_sex, accession_number, study_date,"
                " description, study_time, referring_physician, dicom_study_id)"
                " VALUES ($1, $2, $3, CASE WHEN $4 = '' THEN '{}'::text[]"
                " ELSE ARRAY[$4] END, $5, $6, $7::date, $8, $9, $10::date, $11, $12, $13, $14)"
                " ON CONFLICT (study_uid) DO NOTHING RETURNING id, facility_id");
  pool_.Prepare("series_find_for_index", "SELECT id, study_id FROM series WHERE series_uid = $1");
  pool_.Prepare("series_insert",
                "INSERT INTO series (study_id, series_uid, modality, series_number, description)"
                " VALUES ($1, $2, $3, $4::int, $5) ON CONFLICT (series_uid) DO NOTHING"
                " RETURNING id, study_id");
  // One round trip: insert the instance, and only if it was new bump the counters of
  // its series and study. A repeated SOP Instance UID leaves every row untouched.
  pool_.Prepare(
      "instance_insert",
      "WITH ins AS ("
      "  INSERT INTO instance (series_id, sop_instance_uid, sop_class_uid, transfer_syntax_uid,"
      "   instance_number, size_bytes, storage_key, rows, columns, bits_allocated,"
      "   number_of_frames) VALUES ($1, $2, $3, $4, $5::int, $6, $7, $12::int, $13::int,"
      "   $14::int, $15::int)"
      "  ON CONFLICT (sop_instance_uid) DO NOTHING RETURNING id),"
      " ser AS (UPDATE series SET num_instances = num_instances + 1"
      "  WHERE id = $1 AND EXISTS (SELECT 1 FROM ins) RETURNING id)"
      " UPDATE study SET num_instances = num_instances + 1,"
      "  num_series = num_series + $9::int, size_bytes = size_bytes + $6,"
      "  modalities = CASE WHEN $10 = '' OR $10 = ANY (modalities) THEN modalities"
      "   ELSE modalities || $10 END,"
      // A study's class is the most specific one seen: CT over X-ray over other.
      "  modality_class = CASE WHEN modality_class = 'CT' OR $11 = 'CT' THEN 'CT'"
      "   WHEN modality_class = 'XRAY' OR $11 = 'XRAY' THEN 'XRAY' ELSE 'OTHER' END,"
      "  last_instance_at = now()"
      " WHERE id = $8 AND EXISTS (SELECT 1 FROM ser) RETURNING (SELECT id FROM ins)");
  pool_.Prepare("study_promote_stable",
                "UPDATE study SET status = 'ready', ready_at = now(),"
                " sla_due_at = now() + make_interval(secs => CASE priority WHEN 0 THEN $2::float8"
                " WHEN 1 THEN $3::float8 ELSE $4::float8 END)"
                " WHERE status = 'receiving' AND last_instance_at <= now() - make_interval(secs => "
                "$1::float8)");
  // The study and its series in one round trip: one row per series (the study's columns
  // repeated), or a single row with NULL series columns when it has none yet.
  pool_.Prepare("study_find",
                std::string("SELECT ") + kStudyColumns +
                    ", se.series_uid, se.modality, se.series_number, se.description,"
                    " se.num_instances" +
                    kStudyFrom +
                    " LEFT JOIN series se ON se.study_id = s.id WHERE s.study_uid = $1"
                    " ORDER BY se.series_number NULLS LAST, se.id");
  // A claim is one guarded UPDATE (DESIGN.md, "Study states"): the WHERE clause is the
  // whole rule, so two servers racing on one study cannot both win.
  pool_.Prepare("study_claim",
                "UPDATE study SET status = 'claimed', claimed_by = $2,"
                " claim_expires_at = now() + make_interval(secs => $3::float8)"
                " WHERE study_uid = $1 AND (status = 'ready' OR (status = 'claimed'"
                " AND (claimed_by = $2 OR claim_expires_at <= now())))"
                " RETURNING " TELERAD_MICROS("claim_expires_at"));
  pool_.Prepare("study_claim_state",
                "SELECT s.status, u.username, " TELERAD_MICROS("s.claim_expires_at") " FROM study s"
                " LEFT JOIN app_user u ON u.id = s.claimed_by WHERE s.study_uid = $1");
  pool_.Prepare("study_release",
                "UPDATE study SET status = 'ready', claimed_by = NULL, claim_expires_at = NULL"
                " WHERE study_uid = $1 AND status = 'claimed' AND claimed_by = $2");
  pool_.Prepare("sweep_try_lock", "SELECT pg_try_advisory_xact_lock($1::bigint)");
  pool_.Prepare("study_expire_claims",
                "UPDATE study SET status = 'ready', claimed_by = NULL, claim_expires_at = NULL"
                " WHERE status = 'claimed' AND claim_expires_at <= now()");
  // A facility's change of priority or clinical question; guarded so a reported study
  // stays as it was read.
  pool_.Prepare("study_update_order",
                "UPDATE study SET priority = coalesce($2::smallint, priority),"
                " clinical_info = coalesce($3, clinical_info),"
                " sla_due_at = CASE WHEN ready_at IS NULL THEN sla_due_at"
                "  ELSE ready_at + make_interval(secs => CASE coalesce($2::smallint, priority)"
                "  WHEN 0 THEN $4::float8 WHEN 1 THEN $5::float8 ELSE $6::float8 END) END"
                " WHERE study_uid = $1 AND status IN ('receiving', 'ready', 'claimed')"
                " RETURNING id");
  pool_.Prepare("study_exists", "SELECT 1 FROM study WHERE study_uid = $1");
  pool_.Prepare("ping", "SELECT 1");
}

Result<std::optional<StoredInstance>> PgStudyRepository::FindInstance(
    const std::string& sop_instance_uid) {
  std::optional<StoredInstance> found;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    pqxx::result rows = txn.exec_prepared("instance_find", sop_instance_uid);
    found.reset();
    if (rows.empty()) return;
    found = StoredInstance{rows[0][0].as<int64_t>(), rows[0][1].as<std::string>(),
                           rows[0][2].as<std::string>(), rows[0][3].as<std::string>()};
  });
  if (!s.ok()) return s;
  return found;
}

Result<std::map<std::string, StoredInstance>> PgStudyRepository::FindInstances(
    const std::vector<std::string>& sop_instance_uids) {
  std::map<std::string, StoredInstance> found;
  if (sop_instance_uids.empty()) return found;
  std::string literal = "{";
  for (const std::string& uid : sop_instance_uids) {
    if (!IsValidUid(uid)) return Status::InvalidArgument("not a UID");
    literal += (literal.size() > 1 ? "," : "") + uid;
  }
  literal += "}";
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    found.clear();
    for (const auto& row : txn.exec_prepared("instance_find_many", literal))
      found.emplace(row[0].as<std::string>(),
                    StoredInstance{row[1].as<int64_t>(), row[2].as<std::string>(),
                                   row[3].as<std::string>(), row[4].as<std::string>()});
  });
  if (!s.ok()) return s;
  return found;
}

Status PgStudyRepository::MakeCommitsDurable() {
  return pool_.Run([&](pqxx::work& txn) {
    // The server's default may be off too; this commit must wait for the flush.
    txn.exec0("SET LOCAL synchronous_commit = on");
    txn.exec_prepared("wal_flush_xid");
  });
}

Status PgStudyRepository::SetStorageKey(const std::string& sop_instance_uid,
                                        const std::string& key) {
  bool updated = false;
  Status s = pool_.Run([&](pqxx::work& txn) {
    updated = txn.exec_prepared("instance_set_key", sop_instance_uid, key).affected_rows() == 1;
  });
  if (s.ok() && !updated) return Status::NotFound("instance not indexed");
  return s;
}

Result<IndexOutcome> PgStudyRepository::IndexInstance(const InstanceRecord& rec,
                                                      const MakeFileDurable& make_durable) {
  const InstanceHeader& h = rec.header;
  const std::string modality_class = ToString(rec.modality_class);
  IndexOutcome outcome;
  Status s = pool_.Run([&](pqxx::work& txn) {
    // The instance's file is durable under a self-describing landing name before COMMIT
    // (make_durable below), so a row lost with its unflushed WAL is re-indexed from it:
    // Success need not wait for a second device flush (README, "Durability").
    txn.exec0("SET LOCAL synchronous_commit = off");
    // Study: find, else create; a concurrent creator makes our insert a no-op, so look again.
    pqxx::result study = txn.exec_prepared("study_find_for_index", h.study_uid);
    if (study.empty()) {
      study = txn.exec_prepared(
          "study_insert", h.study_uid, rec.facility_id, modality_class, h.modality, h.patient_id,
          h.patient_name, OrNull(IsoDate(h.patient_birth_date)), h.patient_sex, h.accession_number,
          OrNull(IsoDate(h.study_date)), h.study_description, h.study_time, h.referring_physician,
          h.dicom_study_id);
      if (study.empty()) study = txn.exec_prepared("study_find_for_index", h.study_uid);
    }
    const int64_t study_id = study[0][0].as<int64_t>();
    if (study[0][1].as<int64_t>() != rec.facility_id)
      throw AbortTransaction{Status::Conflict("study belongs to another facility")};

    pqxx::result series = txn.exec_prepared("series_find_for_index", h.series_uid);
    bool new_series = false;
    if (series.empty()) {
      series = txn.exec_prepared("series_insert", study_id, h.series_uid, h.modality,
                                 OrNull(OptNumber(h.series_number)), h.series_description);
      new_series = !series.empty();
      if (series.empty()) series = txn.exec_prepared("series_find_for_index", h.series_uid);
    }
    const int64_t series_id = series[0][0].as<int64_t>();
    if (series[0][1].as<int64_t>() != study_id)
      throw AbortTransaction{Status::Conflict("series belongs to another study")};

    pqxx::result inserted = txn.exec_prepared(
        "instance_insert", series_id, h.sop_instance_uid, h.sop_class_uid, h.transfer_syntax_uid,
        OrNull(OptNumber(h.instance_number)), static_cast<int64_t>(rec.size_bytes), rec.storage_key,
        study_id, new_series ? 1 : 0, h.modality, modality_class, OrNull(OptNumber(h.rows)),
        OrNull(OptNumber(h.columns)), OrNull(OptNumber(h.bits_allocated)),
        OrNull(OptNumber(h.number_of_frames)));
    outcome.study_id = study_id;
    outcome.new_instance = !inserted.empty();
    if (outcome.new_instance)
      InsertInstanceDescription(txn, inserted[0][0].as<int64_t>(), h.dicom_json, h.pixel_layout);
    // The unique SOP Instance UID decides a race between senders: ON CONFLICT waited for
    // the other transaction, so its row is visible now. Only the same series (hence the
    // same study and facility) is a repeat; anything else is refused, and the rollback
    // takes with it the study and series this attempt may have created.
    if (!outcome.new_instance) {
      pqxx::result owner = txn.exec_prepared("instance_series", h.sop_instance_uid);
      if (owner.empty() || owner[0][0].as<int64_t>() != series_id)
        throw AbortTransaction{
            Status::Conflict("SOP Instance UID already stored for another study")};
    }
    Result<std::string> durable_key = make_durable();
    if (!durable_key.ok()) throw AbortTransaction{durable_key.status()};
    if (outcome.new_instance && *durable_key != rec.storage_key)
      txn.exec_prepared("instance_set_key", h.sop_instance_uid, *durable_key);
  });
  if (!s.ok()) return s;
  return outcome;
}

Result<int> PgStudyRepository::PromoteStableStudies(std::chrono::seconds quiet,
                                                    const SlaTargets& sla) {
  int moved = 0;
  Status s = pool_.Run([&](pqxx::work& txn) {
    moved = 0;
    // Another process is sweeping right now: it moves these studies.
    if (!txn.exec_prepared1("sweep_try_lock", kPromoteSweepLock)[0].as<bool>()) return;
    moved = txn.exec_prepared("study_promote_stable", static_cast<int64_t>(quiet.count()),
                              static_cast<int64_t>(sla.stat.count()),
                              static_cast<int64_t>(sla.urgent.count()),
                              static_cast<int64_t>(sla.routine.count()))
                .affected_rows();
  });
  if (!s.ok()) return s;
  return moved;
}

Result<StudyPage> PgStudyRepository::ListStudies(const StudyQuery& q) {
  const bool inbox = q.facility_id.has_value();
  std::optional<CursorKey> cursor;
  if (q.cursor) {
    CursorKey key;
    if (!DecodeCursor(*q.cursor, inbox, &key)) return Status::InvalidArgument("bad cursor");
    cursor = key;
  }
  const ListStatement st = BuildList(q, cursor);
  StudyPage page;
  bool more = false;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    page.items.clear();
    pqxx::result rows;
    // Prepared on first use per connection (PgPool::Prepare at start-up would prepare all
    // 80 on every connection); libpqxx keeps the definition and prepares it again after a
    // reconnect, and repeating a name with the same text is a no-op.
    if (st.name.empty()) {
      rows = txn.exec_params(st.sql, pqxx::prepare::make_dynamic_params(st.params));
    } else {
      txn.conn().prepare(st.name, st.sql);
      rows = txn.exec_prepared(st.name, pqxx::prepare::make_dynamic_params(st.params));
    }
    for (const auto& row : rows) {
      if (static_cast<int>(page.items.size()) == q.limit) break;  // the rest says "more"
      page.items.push_back(RowToStudy(row));
    }
    more = static_cast<int>(rows.size()) > q.limit;
  });
  if (!s.ok()) return s;
  if (more && !page.items.empty()) page.next_cursor = EncodeCursor(page.items.back(), inbox);
  return page;
}

Result<ClaimOutcome> PgStudyRepository::Claim(const std::string& study_uid, int64_t user_id,
                                              std::chrono::seconds lease, AuditEntry& audit) {
  ClaimOutcome outcome;
  Status s = pool_.Run([&](pqxx::work& txn) {
    outcome = ClaimOutcome{};
    pqxx::result won =
        txn.exec_prepared("study_claim", study_uid, user_id, static_cast<int64_t>(lease.count()));
    if (!won.empty()) {
      outcome.found = outcome.claimed = true;
      outcome.status = StudyStatus::kClaimed;
      outcome.expires_at = FromMicros(won[0][0].as<int64_t>());
      audit.id = InsertAudit(txn, audit);
      return;
    }
    pqxx::result state = txn.exec_prepared("study_claim_state", study_uid);
    if (state.empty()) return;
    outcome.found = true;
    outcome.status =
        ParseStudyStatus(state[0][0].as<std::string>()).value_or(StudyStatus::kReceiving);
    if (!state[0][1].is_null()) outcome.holder = state[0][1].as<std::string>();
    outcome.expires_at = OptionalTime(state[0][2]);
  });
  if (!s.ok()) return s;
  return outcome;
}

Result<bool> PgStudyRepository::Release(const std::string& study_uid, int64_t user_id,
                                        AuditEntry& audit) {
  bool released = false;
  Status s = pool_.Run([&](pqxx::work& txn) {
    released = txn.exec_prepared("study_release", study_uid, user_id).affected_rows() == 1;
    if (released) audit.id = InsertAudit(txn, audit);
  });
  if (!s.ok()) return s;
  return released;
}

Result<int> PgStudyRepository::ExpireClaims() {
  int expired = 0;
  Status s = pool_.Run([&](pqxx::work& txn) {
    expired = 0;
    if (!txn.exec_prepared1("sweep_try_lock", kExpireSweepLock)[0].as<bool>()) return;
    expired = txn.exec_prepared("study_expire_claims").affected_rows();
  });
  if (!s.ok()) return s;
  return expired;
}

Result<bool> PgStudyRepository::UpdateOrder(const std::string& study_uid,
                                            std::optional<Priority> priority,
                                            const std::optional<std::string>& clinical_info,
                                            const SlaTargets& sla, AuditEntry& audit) {
  bool updated = false;
  std::optional<std::string> p;
  if (priority) p = std::to_string(static_cast<int>(*priority));
  Status s = pool_.Run([&](pqxx::work& txn) {
    updated = !txn.exec_prepared("study_update_order", study_uid, OrNull(p), OrNull(clinical_info),
                                 static_cast<int64_t>(sla.stat.count()),
                                 static_cast<int64_t>(sla.urgent.count()),
                                 static_cast<int64_t>(sla.routine.count()))
                   .empty();
    if (!updated && txn.exec_prepared("study_exists", study_uid).empty())
      throw AbortTransaction{Status::NotFound("no such study")};
    if (updated) audit.id = InsertAudit(txn, audit);
  });
  if (!s.ok()) return s;
  return updated;
}

Result<std::optional<Study>> PgStudyRepository::FindStudy(const std::string& study_uid) {
  std::optional<Study> study;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    study.reset();
    pqxx::result rows = txn.exec_prepared("study_find", study_uid);
    if (rows.empty()) return;
    study = RowToStudy(rows[0]);
    constexpr int kSeries = 29;  // first series column, after the study's
    for (const auto& r : rows) {
      if (r[kSeries].is_null()) continue;
      SeriesSummary series;
      series.series_uid = r[kSeries].as<std::string>();
      series.modality = r[kSeries + 1].as<std::string>();
      if (!r[kSeries + 2].is_null()) series.series_number = r[kSeries + 2].as<int>();
      series.description = r[kSeries + 3].as<std::string>();
      series.num_instances = r[kSeries + 4].as<int>();
      study->series.push_back(std::move(series));
    }
  });
  if (!s.ok()) return s;
  return study;
}

Status PgStudyRepository::Ping() {
  return pool_.Read([](pqxx::nontransaction& txn) { txn.exec_prepared("ping"); });
}

}  // namespace telerad
