// PgKpiRepository's counters (pg_kpi_repository.h): the facilities using each service by
// a day, the backlog by age, the running totals for /metrics, and the ministry's targets.
// The figures of a window are in pg_kpi_repository.cpp.
#include <array>
#include <map>

#include "spdlog/fmt/fmt.h"
#include "src/pg/pg_audit_insert.h"
#include "src/pg/pg_kpi_repository.h"
#include "src/pg/pg_pool.h"
#include "src/pg/pg_row.h"

namespace telerad {
namespace {

std::optional<double> OptionalNumber(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<double>();
}

KpiTarget TargetOf(const pqxx::row& r) {
  KpiTarget t;
  t.indicator = r[0].as<std::string>();
  t.period = r[1].as<std::string>();
  t.baseline = OptionalNumber(r[2]);
  t.target = OptionalNumber(r[3]);
  t.updated_by = r[4].as<std::string>();
  t.updated_at = FromMicros(r[5].as<int64_t>());
  return t;
}

constexpr const char* kTargetColumns =
    "indicator, period, baseline::float8, target::float8, updated_by, " TELERAD_MICROS(
        "updated_at");

}  // namespace

Result<FacilitiesUsing> PgKpiRepository::FacilitiesUsingBy(date::sys_days last,
                                                           const std::string& facility_code,
                                                           const std::string& aimag) {
  FacilitiesUsing out;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    pqxx::row r = txn.exec_params1(
        "SELECT count(*) FILTER (WHERE a.activity = 'telemedicine'),"
        " count(*) FILTER (WHERE a.activity = 'online_hospital')"
        " FROM kpi_facility_activity a JOIN facility f ON f.id = a.facility_id"
        " WHERE f.active AND a.first_day <= $1::date AND ($2 = '' OR f.code = $2)"
        " AND ($3 = '' OR f.aimag = $3)",
        FormatDay(last), facility_code, aimag);
    out.telemedicine = r[0].as<int64_t>();
    out.online_hospital = r[1].as<int64_t>();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<BacklogBucket>> PgKpiRepository::Backlog() {
  std::vector<BacklogBucket> out;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    out.clear();
    // Schema 0017: per priority, the waiting studies in all (k = 0) and those that became
    // ready at or after each age boundary (k = 1..4: now - 1 h, 4 h, 24 h, 7 d), from the
    // hourly counts after the boundary's hour plus that hour's studies from the exact
    // time in study_backlog_kpi_idx. One statement: one snapshot for both.
    std::map<int, std::array<int64_t, 5>> since;  // priority -> [total, >= b1 .. >= b4]
    for (const pqxx::row& r :
         txn.exec("WITH b AS (SELECT k, at, kpi_backlog_hour(at) AS h FROM (VALUES"
                  " (1, now() - interval '1 hour'), (2, now() - interval '4 hours'),"
                  " (3, now() - interval '24 hours'), (4, now() - interval '7 days')) v (k, at)),"
                  " p AS (SELECT DISTINCT priority FROM kpi_backlog_hourly)"
                  " SELECT p.priority, 0, (SELECT sum(studies) FROM kpi_backlog_hourly h"
                  " WHERE h.priority = p.priority)::bigint FROM p"
                  " UNION ALL SELECT p.priority, b.k,"
                  " coalesce((SELECT sum(studies) FROM kpi_backlog_hourly h"
                  " WHERE h.priority = p.priority AND h.hour > b.h), 0)::bigint"
                  " + (SELECT count(*) FROM study s WHERE s.status IN ('ready', 'claimed')"
                  " AND s.priority = p.priority AND s.ready_at >= b.at"
                  " AND s.ready_at < 'epoch'::timestamptz + (b.h + 1) * interval '1 hour')"
                  " FROM p CROSS JOIN b"))
      since[r[0].as<int>()][r[1].as<int>()] = r[2].as<int64_t>();
    static const char* const kAges[] = {"lt_1h", "1h_4h", "4h_24h", "1d_7d", "ge_7d"};
    for (const auto& [priority, n] : since) {
      // Younger than each boundary, then the differences between neighbours.
      const int64_t ages[] = {n[1], n[2] - n[1], n[3] - n[2], n[4] - n[3], n[0] - n[4]};
      for (int age = 0; age < 5; ++age)
        if (ages[age] > 0) out.push_back({priority, kAges[age], ages[age]});
    }
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<FacilityTotals>> PgKpiRepository::Totals() {
  std::vector<FacilityTotals> out;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    out.clear();
    // The running totals of schema 0016: one row per facility and class, however many
    // days have been counted (summing the daily rows took 0.1-0.4 s at a million studies).
    for (const pqxx::row& r :
         txn.exec("SELECT f.code, f.aimag, t.modality_class, t.received, t.diagnosed, 0"
                  " FROM kpi_study_total t JOIN facility f ON f.id = t.facility_id"
                  " UNION ALL"
                  " SELECT f.code, f.aimag, '', 0, 0, t.completed"
                  " FROM kpi_consultation_total t JOIN facility f ON f.id = t.facility_id"
                  " ORDER BY 1, 3"))
      out.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                     r[3].as<int64_t>(), r[4].as<int64_t>(), r[5].as<int64_t>()});
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<KpiTarget>> PgKpiRepository::Targets(const std::string& period) {
  std::vector<KpiTarget> out;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    out.clear();
    for (const pqxx::row& r : txn.exec_params(std::string("SELECT ") + kTargetColumns +
                                                  " FROM kpi_target WHERE ($1 = '' OR period = $1)"
                                                  " ORDER BY period, indicator",
                                              period))
      out.push_back(TargetOf(r));
  });
  if (!s.ok()) return s;
  return out;
}

Result<KpiTarget> PgKpiRepository::PutTarget(const KpiTarget& target, AuditEntry& audit) {
  KpiTarget out;
  auto number = [](const std::optional<double>& v) {
    return v ? std::optional<std::string>(fmt::format("{}", *v)) : std::nullopt;  // exact
  };
  const auto baseline = number(target.baseline), goal = number(target.target);
  Status s = pool_.Run([&](pqxx::work& txn) {
    out = TargetOf(txn.exec_params1(
        std::string("INSERT INTO kpi_target (indicator, period, baseline, target, updated_by)"
                    " VALUES ($1, $2, $3::numeric, $4::numeric, $5)"
                    " ON CONFLICT (indicator, period) DO UPDATE SET baseline = EXCLUDED.baseline,"
                    " target = EXCLUDED.target, updated_by = EXCLUDED.updated_by,"
                    " updated_at = now() RETURNING ") +
            kTargetColumns,
        target.indicator, target.period, OrNull(baseline), OrNull(goal), target.updated_by));
    audit.id = InsertAudit(txn, audit);
  });
  if (!s.ok()) return s;
  return out;
}

Status PgKpiRepository::DeleteTarget(const std::string& indicator, const std::string& period,
                                     AuditEntry& audit) {
  bool found = false;
  Status s = pool_.Run([&](pqxx::work& txn) {
    found = txn.exec_params("DELETE FROM kpi_target WHERE indicator = $1 AND period = $2",
                            indicator, period)
                .affected_rows() == 1;
    if (found) audit.id = InsertAudit(txn, audit);
  });
  if (!s.ok()) return s;
  if (!found) return Status::NotFound("no target for this indicator and period");
  return Status::Ok();
}

}  // namespace telerad
