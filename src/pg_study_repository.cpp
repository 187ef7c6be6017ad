#include "src/pg_study_repository.h"

#include <cstdio>

#include "src/pg_pool.h"
#include "src/pg_row.h"

namespace telerad {
namespace {

// The study columns every read returns, in the order RowToStudy reads them (29 columns:
// FindStudy's series columns follow at index 29).
constexpr const char* kStudyColumns =
    "s.id, s.study_uid, s.status, s.priority, s.modality_class,"
    " array_to_string(s.modalities, '\\'), s.patient_id, s.patient_name,"
    " to_char(s.patient_birth_date, 'YYYY-MM-DD'), s.patient_sex, s.accession_number,"
    " to_char(s.study_date, 'YYYY-MM-DD'), s.description, s.clinical_info, s.num_series,"
    " s.num_instances, s.size_bytes, " TELERAD_MICROS("s.received_at") ", "
    TELERAD_MICROS("s.ready_at") ", " TELERAD_MICROS("s.sla_due_at") ", u.username, "
    TELERAD_MICROS("s.reported_at") ", f.id, f.code, f.name, f.aimag, "
    TELERAD_MICROS("s.claim_expires_at") ", s.critical_pending, s.report_status";

constexpr const char* kStudyFrom =
    " FROM study s JOIN facility f ON f.id = s.facility_id"
    " LEFT JOIN app_user u ON u.id = s.claimed_by";

// Sort keys. The deadline is wrapped in COALESCE so that it is never NULL (a study still
// receiving has none and sorts last): a row comparison can then page through it, and the
// indexes of schema/0004 are on exactly these expressions, so they serve both the order and
// the cursor. A facility's inbox puts unacknowledged critical findings first.
constexpr const char* kWorklistOrder = "s.priority, COALESCE(s.sla_due_at, 'infinity'), s.id";
constexpr const char* kInboxOrder =
    "(NOT s.critical_pending), s.priority, COALESCE(s.sla_due_at, 'infinity'), s.id";

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

Study RowToStudy(const pqxx::row& r) {
  Study s;
  s.id = r[0].as<int64_t>();
  s.study_uid = r[1].as<std::string>();
  s.status = ParseStudyStatus(r[2].as<std::string>()).value_or(StudyStatus::kReceiving);
  s.priority = static_cast<Priority>(r[3].as<int>());
  s.modality_class = ParseModalityClass(r[4].as<std::string>()).value_or(ModalityClass::kOther);
  s.modalities = Split(r[5].as<std::string>(), '\\');
  s.patient = {r[6].as<std::string>(), r[7].as<std::string>(), TextOr(r[8]),
               r[9].as<std::string>()};
  s.accession_number = r[10].as<std::string>();
  s.study_date = TextOr(r[11]);
  s.description = r[12].as<std::string>();
  s.clinical_info = r[13].as<std::string>();
  s.num_series = r[14].as<int>();
  s.num_instances = r[15].as<int>();
  s.size_bytes = r[16].as<uint64_t>();
  s.received_at = FromMicros(r[17].as<int64_t>());
  s.ready_at = OptionalTime(r[18]);
  s.sla_due_at = OptionalTime(r[19]);
  if (!r[20].is_null()) s.claimed_by = r[20].as<std::string>();
  s.reported_at = OptionalTime(r[21]);
  s.facility.id = r[22].as<int64_t>();
  s.facility.code = r[23].as<std::string>();
  s.facility.name = r[24].as<std::string>();
  s.facility.aimag = r[25].as<std::string>();
  s.claim_expires_at = OptionalTime(r[26]);
  s.critical_pending = r[27].as<bool>();
  if (!r[28].is_null()) s.report_status = ParseReportStatus(r[28].as<std::string>());
  return s;
}

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

template <typename T>
std::optional<std::string> OptNumber(const std::optional<T>& v) {
  if (!v) return std::nullopt;
  return std::to_string(static_cast<long long>(*v));
}

// Cursors are the last row's sort key: "priority.sla_micros.id" for the worklist and
// "critical.priority.sla_micros.id" for an inbox (critical 0 = a critical finding pending,
// as NOT critical_pending sorts; sla -1 = none). Only characters that survive a URL
// unencoded, since Pistache 0.0.5 does not percent-decode query values. Opaque to clients;
// the part count tells the two orders apart, so one order's cursor is refused by the other.
std::string EncodeCursor(const Study& s, bool inbox) {
  std::string c = inbox ? (s.critical_pending ? "0." : "1.") : "";
  return c + std::to_string(static_cast<int>(s.priority)) + "." +
         std::to_string(s.sla_due_at ? ToMicros(*s.sla_due_at) : -1) + "." + std::to_string(s.id);
}

struct CursorKey {
  std::string not_critical;  // inbox only: "true" / "false"
  std::string priority, sla, id;
};

bool DecodeCursor(const std::string& c, bool inbox, CursorKey* key) {
  auto parts = Split(c, '.');
  if (parts.size() != (inbox ? 4u : 3u)) return false;
  for (const auto& part : parts) {
    if (part.empty() || part.size() > 18) return false;  // fits a bigint, never overflows
    for (size_t i = 0; i < part.size(); ++i)
      if (!(isdigit(static_cast<unsigned char>(part[i])) || (i == 0 && part[i] == '-')))
        return false;
  }
  size_t i = 0;
  if (inbox) {
    if (parts[0] != "0" && parts[0] != "1") return false;
    key->not_critical = parts[i++] == "1" ? "true" : "false";
  }
  if (parts[i].size() != 1 || parts[i][0] < '0' || parts[i][0] > '2') return false;  // priority
  key->priority = parts[i++];
  key->sla = parts[i++];
  key->id = parts[i];
  return true;
}

// The worklist query for one combination of filters, with only those filters in it, and
// its parameters. Optional filters written as "($1 IS NULL OR col = $1)" leave the
// planner unable to use an index for a filter that is present, so each combination has
// its own text.
//
// Plan caching: with LIMIT as a parameter PostgreSQL costs the generic plan for 10 % of
// the rows, finds it dearer than a custom plan and re-plans on every execution (0.3 ms,
// as long as executing the query). The row count is therefore written into the text,
// rounded up to a few sizes, and the generic plan is then used from the sixth execution
// on. Each prepared plan holds ~170 kB in its backend, so only the combinations the
// reading screens send all day are prepared (status, modality, the facility scope and
// the cursor: at most 16 texts x 5 sizes per connection); any other filter runs as an
// unnamed statement, planned for its actual values each time.
struct ListStatement {
  std::string name;  // empty: run unnamed
  std::string sql;
  std::vector<std::string> params;
  int rows = 0;  // LIMIT: at least one more than the page, so we know if another follows
};

ListStatement BuildList(const StudyQuery& q, const std::optional<CursorKey>& cursor) {
  ListStatement st;
  std::string where, shape;
  bool prepared = true;
  auto param = [&](std::string value) {
    st.params.push_back(std::move(value));
    return "$" + std::to_string(st.params.size());
  };
  auto filter = [&](char tag, const std::string& condition) {
    where += (where.empty() ? " WHERE " : " AND ") + condition;
    shape += tag;
    if (std::string("smfk").find(tag) == std::string::npos) prepared = false;
  };
  if (q.status) filter('s', "s.status = " + param(ToString(*q.status)));
  if (q.modality_class) filter('m', "s.modality_class = " + param(ToString(*q.modality_class)));
  if (q.priority)
    filter('p',
           "s.priority = " + param(std::to_string(static_cast<int>(*q.priority))) + "::smallint");
  // Facility filters by id, so that the page query reads the study table alone (below).
  if (q.facility_code)
    filter('c', "s.facility_id = (SELECT id FROM facility WHERE code = " + param(*q.facility_code) +
                    ")");
  if (q.aimag)
    filter('a', "s.facility_id = ANY (ARRAY(SELECT id FROM facility WHERE aimag = " +
                    param(*q.aimag) + "))");
  if (q.facility_id)
    filter('f', "s.facility_id = " + param(std::to_string(*q.facility_id)) + "::bigint");
  if (q.received_from)
    filter('b', "s.received_at >= 'epoch'::timestamptz + " +
                    param(std::to_string(ToMicros(*q.received_from))) +
                    "::bigint * interval '1 microsecond'");
  if (q.received_to)
    filter('e', "s.received_at < 'epoch'::timestamptz + " +
                    param(std::to_string(ToMicros(*q.received_to))) +
                    "::bigint * interval '1 microsecond'");
  const bool inbox = q.facility_id.has_value();
  const char* order = inbox ? kInboxOrder : kWorklistOrder;
  if (cursor) {
    // "After the cursor row" written as ">= (..., id + 1)", the same rows since ids are
    // integers and unique. PostgreSQL estimates a row comparison from its first column
    // alone: "priority > 2" for a cursor among routine studies, i.e. no rows at all. With
    // that estimate it kept re-planning the statement on every execution (0.23 ms, the
    // cheap custom plan beat the generic one on paper); "priority >= 2" is realistic, and
    // the generic plan is used.
    std::string after = "(";
    if (inbox) after += param(cursor->not_critical) + "::boolean, ";
    after += param(cursor->priority) + "::smallint, ";
    const std::string sla = param(cursor->sla);
    after += "CASE WHEN " + sla +
             "::bigint < 0 THEN 'infinity'::timestamptz ELSE 'epoch'::" + "timestamptz + " + sla +
             "::bigint * interval '1 microsecond' END, ";
    after += param(std::to_string(std::stoll(cursor->id) + 1)) + "::bigint)";
    filter('k', std::string("(") + order + ") >= " + after);
  }
  st.rows = q.limit + 1;
  if (prepared) {
    for (int size : {11, 26, 51, 101, 201}) {
      if (size >= st.rows) {
        st.rows = size;
        break;
      }
    }
    st.name = "study_list_" + shape + "_" + std::to_string(st.rows);
  }
  // The page is chosen from the study table alone and joined afterwards: PostgreSQL
  // estimates a row comparison to match about one row, and with the joins inside it then
  // preferred a hash join and a sort of everything after the cursor (53 ms 20,000 rows
  // deep) over reading the index in order (0.7 ms).
  st.sql = std::string("SELECT ") + kStudyColumns + " FROM (SELECT * FROM study s" + where +
           " ORDER BY " + order + " LIMIT " + std::to_string(st.rows) +
           ") s JOIN facility f ON f.id = s.facility_id"
           " LEFT JOIN app_user u ON u.id = s.claimed_by ORDER BY " +
           order;
  return st;
}

}  // namespace

PgStudyRepository::PgStudyRepository(PgPool& pool) : pool_(pool) {
  pool_.Prepare("instance_find",
                "SELECT st.facility_id, st.study_uid, se.series_uid, i.storage_key FROM instance i"
                " JOIN series se ON se.id = i.series_id JOIN study st ON st.id = se.study_id"
                " WHERE i.sop_instance_uid = $1");
  pool_.Prepare("instance_set_key",
                "UPDATE instance SET storage_key = $2 WHERE sop_instance_uid = $1");
  pool_.Prepare("study_find_for_index", "SELECT id, facility_id FROM study WHERE study_uid = $1");
  pool_.Prepare("study_insert",
                "INSERT INTO study (study_uid, facility_id, modality_class, modalities, patient_id,"
                " patient_name, patient_birth_date, patient_sex, accession_number, study_date,"
                " description) VALUES ($1, $2, $3, CASE WHEN $4 = '' THEN '{}'::text[]"
                " ELSE ARRAY[$4] END, $5, $6, $7::date, $8, $9, $10::date, $11)"
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
      "   instance_number, size_bytes, storage_key) VALUES ($1, $2, $3, $4, $5::int, $6, $7)"
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
      " WHERE id = $8 AND EXISTS (SELECT 1 FROM ser) RETURNING id");
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
    // Study: find, else create; a concurrent creator makes our insert a no-op, so look again.
    pqxx::result study = txn.exec_prepared("study_find_for_index", h.study_uid);
    if (study.empty()) {
      study = txn.exec_prepared(
          "study_insert", h.study_uid, rec.facility_id, modality_class, h.modality, h.patient_id,
          h.patient_name, OrNull(IsoDate(h.patient_birth_date)), h.patient_sex, h.accession_number,
          OrNull(IsoDate(h.study_date)), h.study_description);
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
        study_id, new_series ? 1 : 0, h.modality, modality_class);
    outcome.study_id = study_id;
    outcome.new_instance = !inserted.empty();
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
                                              std::chrono::seconds lease) {
  ClaimOutcome outcome;
  Status s = pool_.Run([&](pqxx::work& txn) {
    outcome = ClaimOutcome{};
    pqxx::result won =
        txn.exec_prepared("study_claim", study_uid, user_id, static_cast<int64_t>(lease.count()));
    if (!won.empty()) {
      outcome.found = outcome.claimed = true;
      outcome.status = StudyStatus::kClaimed;
      outcome.expires_at = FromMicros(won[0][0].as<int64_t>());
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

Result<bool> PgStudyRepository::Release(const std::string& study_uid, int64_t user_id) {
  bool released = false;
  Status s = pool_.Run([&](pqxx::work& txn) {
    released = txn.exec_prepared("study_release", study_uid, user_id).affected_rows() == 1;
  });
  if (!s.ok()) return s;
  return released;
}

Result<int> PgStudyRepository::ExpireClaims() {
  int expired = 0;
  Status s = pool_.Run(
      [&](pqxx::work& txn) { expired = txn.exec_prepared("study_expire_claims").affected_rows(); });
  if (!s.ok()) return s;
  return expired;
}

Result<bool> PgStudyRepository::UpdateOrder(const std::string& study_uid,
                                            std::optional<Priority> priority,
                                            const std::optional<std::string>& clinical_info,
                                            const SlaTargets& sla) {
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
