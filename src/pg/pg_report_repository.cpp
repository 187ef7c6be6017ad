#include "src/pg/pg_report_repository.h"

#include "src/pg/pg_audit_insert.h"
#include "src/pg/pg_pool.h"
#include "src/pg/pg_row.h"
#include "src/pg/pg_study_row.h"

namespace telerad {
namespace {

constexpr const char* kReportSelect =
    "SELECT r.id, s.study_uid, r.status, r.version, r.findings, r.impression,"
    " array_to_string(r.icd_codes, ','), r.critical, a.username, " TELERAD_MICROS(
        "r.created_at") ", " TELERAD_MICROS("r.updated_at") ", sb.username, " TELERAD_MICROS("r.signed_at") ","
    " ab.username, " TELERAD_MICROS("r.critical_ack_at") ", r.delivery_state, r.delivery_attempts,"
    " r.delivery_last_error, " TELERAD_MICROS("r.delivery_next_at") ", " TELERAD_MICROS(
        "r.delivered_at") " FROM report r JOIN study s ON s.id = r.study_id"
    " JOIN app_user a ON a.id = r.author_id LEFT JOIN app_user sb ON sb.id = r.signed_by"
    " LEFT JOIN app_user ab ON ab.id = r.critical_ack_by";

// Codes are validated by the service (no commas); joined for string_to_array.
std::string JoinCodes(const std::vector<std::string>& codes) {
  std::string joined;
  for (const auto& c : codes) joined += (joined.empty() ? "" : ",") + c;
  return joined;
}

Report RowToReport(const pqxx::row& r) {
  Report rep;
  rep.id = r[0].as<int64_t>();
  rep.study_uid = r[1].as<std::string>();
  rep.status = ParseReportStatus(r[2].as<std::string>()).value_or(ReportStatus::kDraft);
  rep.version = r[3].as<int>();
  rep.findings = r[4].as<std::string>();
  rep.impression = r[5].as<std::string>();
  rep.icd_codes = Split(r[6].as<std::string>(), ',');
  rep.critical = r[7].as<bool>();
  rep.author = r[8].as<std::string>();
  rep.created_at = FromMicros(r[9].as<int64_t>());
  rep.updated_at = FromMicros(r[10].as<int64_t>());
  if (!r[11].is_null()) rep.signed_by = r[11].as<std::string>();
  rep.signed_at = OptionalTime(r[12]);
  if (!r[13].is_null()) rep.critical_acknowledged_by = r[13].as<std::string>();
  rep.critical_acknowledged_at = OptionalTime(r[14]);
  rep.delivery.state = ParseDeliveryState(r[15].as<std::string>()).value_or(DeliveryState::kNone);
  rep.delivery.attempts = r[16].as<int>();
  rep.delivery.last_error = r[17].as<std::string>();
  rep.delivery.next_attempt_at = OptionalTime(r[18]);
  rep.delivery.delivered_at = OptionalTime(r[19]);
  return rep;
}

// The study row, locked for the rest of the transaction, with its claim state.
struct LockedStudy {
  int64_t id = 0;
  bool claimed_by_user = false;  // claimed by the caller with a running lease
  std::optional<std::string> holder;
};

std::optional<LockedStudy> LockStudy(pqxx::work& txn, const std::string& study_uid,
                                     int64_t user_id) {
  pqxx::result rows = txn.exec_prepared("report_lock_study", study_uid, user_id);
  if (rows.empty()) return std::nullopt;
  LockedStudy s;
  s.id = rows[0][0].as<int64_t>();
  s.claimed_by_user = rows[0][1].as<bool>();
  if (!rows[0][2].is_null()) s.holder = rows[0][2].as<std::string>();
  return s;
}

// The report in `rows` (if any) with its addenda.
std::optional<Report> WithAddenda(pqxx::transaction_base& txn, const pqxx::result& rows) {
  if (rows.empty()) return std::nullopt;
  Report report = RowToReport(rows[0]);
  for (const auto& a : txn.exec_prepared("report_addenda", report.id))
    report.addenda.push_back(
        {a[0].as<std::string>(), a[1].as<std::string>(), FromMicros(a[2].as<int64_t>())});
  return report;
}

std::optional<Report> ReadReport(pqxx::work& txn, int64_t study_id) {
  return WithAddenda(txn, txn.exec_prepared("report_by_study_id", study_id));
}

// The study's report row, locked.
struct LockedReport {
  int64_t id = 0;
  bool final = false;
  int version = 0;
  bool has_text = false;  // findings or impression written
};

// What every report write starts with: the study row and then its report row, locked in
// that order (one lock order for all report writes, so none can deadlock another).
// nullopt, with out.block = kNoStudy, when there is no such study.
struct LockedStudyReport {
  LockedStudy study;
  std::optional<LockedReport> report;
};
std::optional<LockedStudyReport> LockStudyAndReport(pqxx::work& txn, const std::string& study_uid,
                                                    int64_t user_id, ReportWrite& out) {
  out = ReportWrite{};
  auto study = LockStudy(txn, study_uid, user_id);
  if (!study) {
    out.block = ReportWriteBlock::kNoStudy;
    return std::nullopt;
  }
  LockedStudyReport locked{*study, std::nullopt};
  pqxx::result rows = txn.exec_prepared("report_lock", study->id);
  if (!rows.empty()) {
    locked.report = LockedReport{rows[0][0].as<int64_t>(), rows[0][1].as<std::string>() == "final",
                                 rows[0][2].as<int>(), rows[0][3].as<bool>()};
    out.current_version = locked.report->version;
  }
  return locked;
}

}  // namespace

PgReportRepository::PgReportRepository(PgPool& pool) : pool_(pool) {
  // Locks the study row: every report write of one study runs one at a time, on any server.
  pool_.Prepare("report_lock_study",
                "SELECT s.id, (s.status = 'claimed' AND s.claimed_by = $2"
                " AND s.claim_expires_at > now()), CASE WHEN s.status = 'claimed'"
                " AND s.claim_expires_at > now() THEN u.username END"
                " FROM study s LEFT JOIN app_user u ON u.id = s.claimed_by"
                " WHERE s.study_uid = $1 FOR UPDATE OF s");
  pool_.Prepare("report_lock",
                "SELECT id, status, version, (findings <> '' OR impression <> '')"
                " FROM report WHERE study_id = $1 FOR UPDATE");
  pool_.Prepare("report_by_study_id", std::string(kReportSelect) + " WHERE r.study_id = $1");
  pool_.Prepare("report_by_study_uid", std::string(kReportSelect) + " WHERE s.study_uid = $1");
  pool_.Prepare("report_addenda",
                "SELECT d.text, u.username, " TELERAD_MICROS("d.created_at")
                " FROM report_addendum d JOIN app_user u ON u.id = d.author_id"
                " WHERE d.report_id = $1 ORDER BY d.id");
  pool_.Prepare(
      "report_insert_draft",
      "INSERT INTO report (study_id, findings, impression, icd_codes, critical, author_id)"
      " VALUES ($1, $2, $3, string_to_array($4, ','), $5, $6)");
  pool_.Prepare("report_update_draft",
                "UPDATE report SET findings = $2, impression = $3,"
                " icd_codes = string_to_array($4, ','), critical = $5, author_id = $6,"
                " version = version + 1, updated_at = now() WHERE id = $1 AND status = 'draft'");
  pool_.Prepare("study_renew_claim",
                "UPDATE study SET claim_expires_at = now() + make_interval(secs => $2::float8),"
                " report_status = coalesce(report_status, 'draft') WHERE id = $1");
  // Delivery is queued only for a facility with a return address; the SR UIDs are fixed
  // here so that every retry sends the same instance.
  pool_.Prepare("report_sign",
                "UPDATE report r SET status = 'final', signed_by = $2, signed_at = now(),"
                " updated_at = now(), sr_series_uid = $3, sr_instance_uid = $4,"
                " delivery_state = CASE WHEN f.return_host IS NULL THEN 'none' ELSE 'pending' END,"
                " delivery_next_at = CASE WHEN f.return_host IS NULL THEN NULL ELSE now() END"
                " FROM study s JOIN facility f ON f.id = s.facility_id"
                " WHERE r.id = $1 AND s.id = r.study_id AND r.status = 'draft'");
  // The claimed → reported transition, guarded by the expected state.
  pool_.Prepare("study_mark_reported",
                "UPDATE study SET status = 'reported', reported_at = now(), claimed_by = NULL,"
                " claim_expires_at = NULL, critical_pending = $3, report_status = 'final'"
                " WHERE id = $1 AND status = 'claimed' AND claimed_by = $2");
  pool_.Prepare("addendum_insert",
                "INSERT INTO report_addendum (report_id, text, author_id) VALUES ($1, $2, $3)");
  pool_.Prepare("report_requeue_delivery",
                "UPDATE report r SET updated_at = now(), sr_instance_uid = $2,"
                " delivery_state = CASE WHEN f.return_host IS NULL THEN 'none' ELSE 'pending' END,"
                " delivery_next_at = CASE WHEN f.return_host IS NULL THEN NULL ELSE now() END,"
                " delivery_attempts = 0, delivery_last_error = ''"
                " FROM study s JOIN facility f ON f.id = s.facility_id"
                " WHERE r.id = $1 AND s.id = r.study_id");
  pool_.Prepare("report_ack_critical",
                "UPDATE report r SET critical_ack_by = $2, critical_ack_at = now() FROM study s"
                " WHERE s.study_uid = $1 AND r.study_id = s.id AND r.status = 'final'"
                " AND r.critical AND r.critical_ack_at IS NULL RETURNING s.id");
  pool_.Prepare("study_clear_critical", "UPDATE study SET critical_pending = false WHERE id = $1");
  // SKIP LOCKED: several servers' workers each take a different due job.
  pool_.Prepare("delivery_take",
                "UPDATE report r SET delivery_next_at = now() + make_interval(secs => $1::float8)"
                " FROM study s JOIN facility f ON f.id = s.facility_id"
                " WHERE r.id = (SELECT id FROM report WHERE delivery_state = 'pending'"
                "  AND delivery_next_at <= now() ORDER BY delivery_next_at LIMIT 1"
                "  FOR UPDATE SKIP LOCKED) AND s.id = r.study_id"
                " RETURNING r.id, s.study_uid, r.delivery_attempts, f.return_host,"
                " f.return_port, f.return_ae_title, r.sr_series_uid, r.sr_instance_uid");
  pool_.Prepare("delivery_done",
                "UPDATE report SET delivery_state = 'delivered', delivered_at = now(),"
                " delivery_attempts = delivery_attempts + 1, delivery_last_error = '',"
                " delivery_next_at = NULL"
                " WHERE id = $1 AND sr_instance_uid = $2 AND delivery_state = 'pending'");
  pool_.Prepare("delivery_dropped",
                "UPDATE report SET delivery_state = 'none', delivery_next_at = NULL,"
                " delivery_last_error = $3"
                " WHERE id = $1 AND sr_instance_uid = $2 AND delivery_state = 'pending'");
  pool_.Prepare("delivery_failed",
                "UPDATE report SET delivery_attempts = delivery_attempts + 1,"
                " delivery_last_error = $3,"
                " delivery_next_at = now() + make_interval(secs => $4::float8)"
                " WHERE id = $1 AND sr_instance_uid = $2 AND delivery_state = 'pending'");
}

Result<std::optional<Report>> PgReportRepository::FindByStudy(const std::string& study_uid) {
  std::optional<Report> report;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    report = WithAddenda(txn, txn.exec_prepared("report_by_study_uid", study_uid));
  });
  if (!s.ok()) return s;
  return report;
}

Result<ReportWrite> PgReportRepository::SaveDraft(const std::string& study_uid, int64_t user_id,
                                                  std::optional<int> expected_version,
                                                  const DraftContent& c, std::chrono::seconds lease,
                                                  AuditEntry& audit) {
  ReportWrite out;
  Status s = pool_.Run([&](pqxx::work& txn) {
    auto locked = LockStudyAndReport(txn, study_uid, user_id, out);
    if (!locked) return;
    const auto& report = locked->report;
    if (!locked->study.claimed_by_user) {
      out.block = ReportWriteBlock::kNotClaimHolder;
      out.holder = locked->study.holder;
    } else if (report && report->final) {
      out.block = ReportWriteBlock::kAlreadyFinal;
    } else if (report && !expected_version) {
      out.block = ReportWriteBlock::kVersionRequired;
    } else if (expected_version && (!report || *expected_version != report->version)) {
      out.block = ReportWriteBlock::kStaleVersion;
    }
    if (out.block != ReportWriteBlock::kNone) return;
    const std::string codes = JoinCodes(c.icd_codes);
    const int64_t study_id = locked->study.id;
    if (report)
      txn.exec_prepared0("report_update_draft", report->id, c.findings, c.impression, codes,
                         c.critical, user_id);
    else
      txn.exec_prepared0("report_insert_draft", study_id, c.findings, c.impression, codes,
                         c.critical, user_id);
    txn.exec_prepared0("study_renew_claim", study_id, static_cast<int64_t>(lease.count()));
    out.report = ReadReport(txn, study_id);
    out.current_version = out.report->version;
    audit.id = InsertAudit(txn, audit);
  });
  if (!s.ok()) return s;
  return out;
}

Result<ReportWrite> PgReportRepository::Sign(const std::string& study_uid, int64_t user_id,
                                             std::optional<int> expected_version,
                                             const std::string& sr_series_uid,
                                             const std::string& sr_instance_uid,
                                             AuditEntry& audit) {
  ReportWrite out;
  Status s = pool_.Run([&](pqxx::work& txn) {
    auto locked = LockStudyAndReport(txn, study_uid, user_id, out);
    if (!locked) return;
    const auto& report = locked->report;
    if (report && report->final) {
      out.block = ReportWriteBlock::kAlreadyFinal;
    } else if (!locked->study.claimed_by_user) {
      out.block = ReportWriteBlock::kNotClaimHolder;
      out.holder = locked->study.holder;
    } else if (!report) {
      out.block = ReportWriteBlock::kNoDraft;
    } else if (!expected_version) {
      out.block = ReportWriteBlock::kVersionRequired;
    } else if (*expected_version != report->version) {
      out.block = ReportWriteBlock::kStaleVersion;
    } else if (!report->has_text) {
      out.block = ReportWriteBlock::kEmpty;
    }
    if (out.block != ReportWriteBlock::kNone) return;
    txn.exec_prepared0("report_sign", report->id, user_id, sr_series_uid, sr_instance_uid);
    out.report = ReadReport(txn, locked->study.id);
    txn.exec_prepared0("study_mark_reported", locked->study.id, user_id, out.report->critical);
    audit.id = InsertAudit(txn, audit);
  });
  if (!s.ok()) return s;
  return out;
}

Result<ReportWrite> PgReportRepository::AddAddendum(const std::string& study_uid, int64_t user_id,
                                                    const std::string& text,
                                                    const std::string& sr_instance_uid,
                                                    AuditEntry& audit) {
  ReportWrite out;
  Status s = pool_.Run([&](pqxx::work& txn) {
    auto locked = LockStudyAndReport(txn, study_uid, user_id, out);
    if (!locked) return;
    const auto& report = locked->report;
    if (!report) {
      out.block = ReportWriteBlock::kNoDraft;
    } else if (!report->final) {
      out.block = ReportWriteBlock::kNotFinal;
    }
    if (out.block != ReportWriteBlock::kNone) return;
    txn.exec_prepared0("addendum_insert", report->id, text, user_id);
    txn.exec_prepared0("report_requeue_delivery", report->id, sr_instance_uid);
    out.report = ReadReport(txn, locked->study.id);
    audit.id = InsertAudit(txn, audit);
  });
  if (!s.ok()) return s;
  return out;
}

Result<bool> PgReportRepository::AcknowledgeCritical(const std::string& study_uid, int64_t user_id,
                                                     AuditEntry& audit) {
  bool acknowledged = false;
  Status s = pool_.Run([&](pqxx::work& txn) {
    // The study row first, like every report write: one lock order, no deadlock.
    if (!LockStudy(txn, study_uid, user_id)) return;
    pqxx::result rows = txn.exec_prepared("report_ack_critical", study_uid, user_id);
    acknowledged = !rows.empty();
    if (!acknowledged) return;
    txn.exec_prepared0("study_clear_critical", rows[0][0].as<int64_t>());
    audit.id = InsertAudit(txn, audit);
  });
  if (!s.ok()) return s;
  return acknowledged;
}

Result<std::optional<DeliveryJob>> PgReportRepository::TakeDueDelivery(std::chrono::seconds hold) {
  std::optional<DeliveryJob> job;
  Status s = pool_.Run([&](pqxx::work& txn) {
    job.reset();
    pqxx::result rows = txn.exec_prepared("delivery_take", static_cast<int64_t>(hold.count()));
    if (rows.empty()) return;
    const pqxx::row& r = rows[0];
    DeliveryJob j;
    j.report_id = r[0].as<int64_t>();
    j.study_uid = r[1].as<std::string>();
    j.attempts = r[2].as<int>();
    j.to.host = TextOr(r[3]);
    j.to.port = r[4].is_null() ? 0 : r[4].as<int>();
    j.to.ae_title = TextOr(r[5]);
    j.sr_series_uid = TextOr(r[6]);
    j.sr_instance_uid = TextOr(r[7]);
    job = j;
  });
  if (!s.ok()) return s;
  return job;
}

Status PgReportRepository::MarkDelivered(int64_t report_id, const std::string& sr_instance_uid,
                                         AuditEntry& audit) {
  return pool_.Run([&](pqxx::work& txn) {
    txn.exec_prepared0("delivery_done", report_id, sr_instance_uid);
    audit.id = InsertAudit(txn, audit);
  });
}

Status PgReportRepository::MarkUndeliverable(int64_t report_id, const std::string& sr_instance_uid,
                                             const std::string& reason) {
  return pool_.Run([&](pqxx::work& txn) {
    txn.exec_prepared0("delivery_dropped", report_id, sr_instance_uid, reason);
  });
}

Status PgReportRepository::MarkDeliveryFailed(int64_t report_id, const std::string& sr_instance_uid,
                                              const std::string& error,
                                              std::chrono::seconds retry_in, AuditEntry& audit) {
  return pool_.Run([&](pqxx::work& txn) {
    txn.exec_prepared0("delivery_failed", report_id, sr_instance_uid, error,
                       static_cast<int64_t>(retry_in.count()));
    audit.id = InsertAudit(txn, audit);
  });
}

}  // namespace telerad
