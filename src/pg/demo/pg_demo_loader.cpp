#include "src/pg/demo/pg_demo_loader.h"

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "date/date.h"
#include "src/pg/pg_pool.h"
#include "src/pg/pg_row.h"

namespace telerad {
namespace {

// Who wrote the demo's KPI targets (kpi_target.updated_by).
constexpr const char* kUpdatedBy = "demo-data";

std::string Timestamp(DemoTime t) { return date::format("%F %T+00", t); }

std::optional<std::string> Timestamp(const std::optional<DemoTime>& t) {
  if (!t) return std::nullopt;
  return Timestamp(*t);
}

std::string Date(date::year_month_day d) { return date::format("%F", d); }

std::optional<std::string> Number(const std::optional<double>& v) {
  if (!v) return std::nullopt;
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", *v);  // 250, not 250.000000
  return std::string(text);
}

struct SeriesRow {
  const char* description;
  int instances;
};

// A CT study has a topogram and an axial series; an X-ray one series of its views.
std::vector<SeriesRow> SeriesOf(const DemoStudy& s) {
  if (s.modality_class == "CT") return {{"Topogram", 2}, {"Axial 1.0 mm", s.num_instances - 2}};
  return {{"PA", s.num_instances}};
}

int64_t SizeOf(const DemoStudy& s) {
  const int64_t per_instance = s.modality_class == "CT" ? 524288 : 10485760;
  return per_instance * s.num_instances;
}

}  // namespace

PgDemoLoader::PgDemoLoader(PgPool& pool) : pool_(pool) {
  // Writers of studies and e-examinations wait until the load commits, so the check
  // that the database is new still holds when the rows go in.
  pool_.Prepare("demo_lock", "LOCK TABLE study, consultation IN SHARE ROW EXCLUSIVE MODE");
  pool_.Prepare("demo_loaded",
                "SELECT (SELECT count(*) FROM facility WHERE code = ANY($1::text[]))"
                " + (SELECT count(*) FROM app_user WHERE username = ANY($2::text[]))"
                " + (SELECT count(*) FROM kpi_target WHERE updated_by = $3)");
  pool_.Prepare("demo_base_rows",
                "SELECT (SELECT count(*) FROM study) + (SELECT count(*) FROM consultation)");
  pool_.Prepare("demo_facility_id", "SELECT id FROM facility WHERE code = $1");
  pool_.Prepare("demo_user_id", "SELECT id FROM app_user WHERE username = $1");
  pool_.Prepare("demo_facility_insert",
                "INSERT INTO facility (code, name, aimag, soum, ae_title)"
                " VALUES ($1, $2, $3, $4, $5) RETURNING id");
  pool_.Prepare("demo_user_insert",
                "INSERT INTO app_user (username, role, facility_id, password_hash, demo)"
                " VALUES ($1, $2, $3::bigint, $4, true) RETURNING id");
  pool_.Prepare(
      "demo_study_insert",
      "INSERT INTO study (study_uid, facility_id, status, priority, modality_class, modalities,"
      " patient_id, patient_name, patient_birth_date, patient_sex, accession_number, study_date,"
      " description, clinical_info, num_series, num_instances, size_bytes, received_at,"
      " last_instance_at, ready_at, sla_due_at, claimed_by, claim_expires_at, reported_at,"
      " report_status) VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8, $9::date, $10, $11,"
      " $12::date, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22::bigint, $23::timestamptz,"
      " $24::timestamptz, $25) RETURNING id");
  pool_.Prepare("demo_series_insert",
                "INSERT INTO series (study_id, series_uid, modality, series_number, description,"
                " num_instances, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)");
  pool_.Prepare("demo_report_insert",
                "INSERT INTO report (study_id, status, findings, impression, icd_codes, author_id,"
                " created_at, updated_at, signed_by, signed_at)"
                " VALUES ($1, 'final', $2, $3, $4::text[], $5, $6, $7, $5, $7)");
  pool_.Prepare(
      "demo_consultation_insert",
      "INSERT INTO consultation (facility_id, patient_id, patient_name, patient_birth_date,"
      " patient_sex, specialty, reason, requested_at, status, slot_at, specialist_id,"
      " conclusion, icd_codes, cancel_reason, created_by, created_at, accepted_at,"
      " completed_at, closed_at) VALUES ($1, $2, $3, $4::date, $5, $6, $7, $8, $9,"
      " $10::timestamptz, $11::bigint, $12, $13::text[], $14, $15, $16, $17::timestamptz,"
      " $18::timestamptz, $19::timestamptz)");
  pool_.Prepare("demo_target_insert",
                "INSERT INTO kpi_target (indicator, period, baseline, target, updated_by)"
                " VALUES ($1, $2, $3::numeric, $4::numeric, $5)");
}

Result<DemoLoadResult> PgDemoLoader::Load(const DemoData& data, const std::string& password_hash) {
  DemoLoadResult result;
  Status s = pool_.Run([&](pqxx::work& txn) {
    result = DemoLoadResult();
    txn.exec_prepared0("demo_lock");

    // Refuse before writing anything.
    std::vector<std::string> codes, usernames;
    for (const DemoFacility& f : data.facilities) {
      if (!f.from_seed_demo) codes.push_back(f.code);
      if (!f.booking_user.empty()) usernames.push_back(f.booking_user);
    }
    for (size_t i = 1; i < data.radiologists.size(); ++i) usernames.push_back(data.radiologists[i]);
    for (size_t i = 1; i < data.specialists.size(); ++i) usernames.push_back(data.specialists[i]);
    if (txn.exec_prepared1("demo_loaded", TextArrayLiteral(codes), TextArrayLiteral(usernames),
                           kUpdatedBy)[0]
            .as<int64_t>() > 0)
      throw AbortTransaction{Status::Conflict("demo data is already loaded in this database")};
    if (txn.exec_prepared1("demo_base_rows")[0].as<int64_t>() > 0)
      throw AbortTransaction{Status::Conflict(
          "the database already holds studies or e-examinations; demo data is only loaded "
          "into a new data folder")};

    auto id_of = [&](const char* statement, const std::string& key) -> int64_t {
      pqxx::result rows = txn.exec_prepared(statement, key);
      if (rows.empty())
        throw AbortTransaction{Status::FailedPrecondition(
            "'" + key + "' is missing: run `telerad seed-demo` before `telerad demo-data`")};
      return rows[0][0].as<int64_t>();
    };
    auto create_user = [&](const std::string& username, const char* role,
                           std::optional<std::string> facility_id) {
      ++result.accounts_created;
      return txn
          .exec_prepared1("demo_user_insert", username, role, OrNull(facility_id), password_hash)[0]
          .as<int64_t>();
    };

    std::vector<int64_t> facility_ids, booking_user_ids;
    for (const DemoFacility& f : data.facilities) {
      int64_t id;
      if (f.from_seed_demo) {
        id = id_of("demo_facility_id", f.code);
      } else {
        id = txn.exec_prepared1("demo_facility_insert", f.code, f.name, f.aimag, f.soum,
                                f.ae_title)[0]
                 .as<int64_t>();
        ++result.facilities_created;
      }
      facility_ids.push_back(id);
      booking_user_ids.push_back(
          f.booking_user.empty() ? 0 : create_user(f.booking_user, "facility", std::to_string(id)));
    }
    std::vector<int64_t> radiologist_ids, specialist_ids;
    for (size_t i = 0; i < data.radiologists.size(); ++i)
      radiologist_ids.push_back(i == 0 ? id_of("demo_user_id", data.radiologists[i])
                                       : create_user(data.radiologists[i], "radiologist", {}));
    for (size_t i = 0; i < data.specialists.size(); ++i)
      specialist_ids.push_back(i == 0 ? id_of("demo_user_id", data.specialists[i])
                                      : create_user(data.specialists[i], "specialist", {}));

    for (const DemoStudy& st : data.studies) {
      const std::vector<SeriesRow> series = SeriesOf(st);
      std::optional<std::string> claimed_by;
      if (st.status == "claimed") claimed_by = std::to_string(radiologist_ids.at(st.radiologist));
      const std::optional<std::string> reported_at = Timestamp(st.reported_at);
      const std::optional<std::string> claim_expires_at = Timestamp(st.claim_expires_at);
      const std::optional<std::string> report_status =
          st.reported_at ? std::optional<std::string>("final") : std::nullopt;
      const int64_t study_id =
          txn.exec_prepared1(
                 "demo_study_insert", st.uid, facility_ids.at(st.facility), st.status, st.priority,
                 st.modality_class, TextArrayLiteral({st.modality}), st.patient.id, st.patient.name,
                 Date(st.patient.birth_date), st.patient.sex, st.accession_number,
                 Date(DemoLocalDay(st.received_at)), st.description, st.clinical_info,
                 static_cast<int>(series.size()), st.num_instances, SizeOf(st),
                 Timestamp(st.received_at), Timestamp(st.last_instance_at), Timestamp(st.ready_at),
                 Timestamp(st.sla_due_at), OrNull(claimed_by), OrNull(claim_expires_at),
                 OrNull(reported_at), OrNull(report_status))[0]
              .as<int64_t>();
      ++result.studies;
      for (size_t i = 0; i < series.size(); ++i)
        txn.exec_prepared0("demo_series_insert", study_id, st.uid + "." + std::to_string(i + 1),
                           st.modality, static_cast<int>(i + 1), series[i].description,
                           series[i].instances, Timestamp(st.received_at));
      if (st.reported_at) {
        txn.exec_prepared0("demo_report_insert", study_id, st.findings, st.impression,
                           TextArrayLiteral(st.icd_codes), radiologist_ids.at(st.radiologist),
                           Timestamp(st.draft_at), *reported_at);
        ++result.reports;
      }
    }

    for (const DemoConsultation& c : data.consultations) {
      std::optional<std::string> specialist;
      if (c.specialist >= 0) specialist = std::to_string(specialist_ids.at(c.specialist));
      const auto slot_at = Timestamp(c.slot_at);
      const auto accepted_at = Timestamp(c.accepted_at);
      const auto completed_at = Timestamp(c.completed_at);
      const auto closed_at = Timestamp(c.closed_at);
      txn.exec_prepared0("demo_consultation_insert", facility_ids.at(c.facility), c.patient.id,
                         c.patient.name, Date(c.patient.birth_date), c.patient.sex, c.specialty,
                         c.reason, Timestamp(c.requested_at), c.status, OrNull(slot_at),
                         OrNull(specialist), c.conclusion, TextArrayLiteral(c.icd_codes),
                         c.cancel_reason, booking_user_ids.at(c.facility), Timestamp(c.created_at),
                         OrNull(accepted_at), OrNull(completed_at), OrNull(closed_at));
      ++result.consultations;
    }

    for (const DemoTarget& t : data.targets) {
      const auto baseline = Number(t.baseline);
      const auto target = Number(t.target);
      txn.exec_prepared0("demo_target_insert", t.indicator, t.period, OrNull(baseline),
                         OrNull(target), kUpdatedBy);
      ++result.targets;
    }
  });
  if (!s.ok()) return s;
  return result;
}

}  // namespace telerad
