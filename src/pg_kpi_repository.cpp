#include "src/pg_kpi_repository.h"

#include <map>
#include <tuple>

#include "spdlog/fmt/fmt.h"
#include "src/pg_pool.h"
#include "src/pg_row.h"

namespace telerad {
namespace {

// The bucket (first day, as text) of the local day `day_expr` for a time grain; NULL when
// figures are not grouped in time.
std::string TimeBucket(const std::optional<TimeGrain>& grain, const std::string& day_expr) {
  if (!grain) return "NULL::text";
  std::string bucket;
  switch (*grain) {
    case TimeGrain::kDay:
      bucket = day_expr;
      break;
    case TimeGrain::kMonth:
      bucket = "date_trunc('month', " + day_expr + ")";
      break;
    case TimeGrain::kQuarter:
      bucket = "date_trunc('quarter', " + day_expr + ")";
      break;
    case TimeGrain::kHalf:
      bucket = "make_date(extract(year FROM " + day_expr + ")::int, CASE WHEN extract(month FROM " +
               day_expr + ") <= 6 THEN 1 ELSE 7 END, 1)";
      break;
    case TimeGrain::kYear:
      bucket = "date_trunc('year', " + day_expr + ")";
      break;
  }
  return "to_char(" + bucket + ", 'YYYY-MM-DD')";
}

// The key columns t, fc, fn, aimag, mc of every figures query: a dimension not asked
// for is a constant, so one GROUP BY serves every shape. Only these fixed fragments are
// ever put into the SQL text; values travel as parameters.
std::string KeyColumns(const KpiDimensions& dims, const std::string& day_expr,
                       const std::string& class_expr) {
  return TimeBucket(dims.time, day_expr) + " AS t, " + (dims.facility ? "f.code" : "''::text") +
         " AS fc, " + (dims.facility ? "f.name" : "''::text") + " AS fn, " +
         (dims.aimag ? "f.aimag" : "''::text") + " AS aimag, " +
         (dims.modality ? class_expr : "''::text") + " AS mc";
}

constexpr const char* kFacilityFilter =
    " AND ($3 = '' OR f.code = $3) AND ($4 = '' OR f.aimag = $4)";

KpiGroupKey KeyOf(const pqxx::row& r) {
  KpiGroupKey key;
  if (!r["t"].is_null()) key.time = ParseDay(r["t"].as<std::string>());
  key.facility_code = r["fc"].as<std::string>();
  key.facility_name = r["fn"].as<std::string>();
  key.aimag = r["aimag"].as<std::string>();
  key.modality_class = r["mc"].as<std::string>();
  return key;
}

int64_t Count(const pqxx::field& f) { return f.is_null() ? 0 : f.as<int64_t>(); }

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

bool KpiGroupKey::operator<(const KpiGroupKey& o) const {
  return std::tie(time, aimag, facility_code, modality_class) <
         std::tie(o.time, o.aimag, o.facility_code, o.modality_class);
}

PgKpiRepository::PgKpiRepository(PgPool& pool) : pool_(pool) {}

Result<bool> PgKpiRepository::SetTimeZone(const std::string& zone) {
  bool changed = false;
  Status s = pool_.Run([&](pqxx::work& txn) {
    // A recount of a large database takes longer than a request may.
    txn.exec0("SET LOCAL statement_timeout = 0");
    changed = txn.exec_params1("SELECT kpi_set_time_zone($1)", zone)[0].as<bool>();
  });
  if (!s.ok()) return s;
  return changed;
}

Result<std::vector<KpiGroup>> PgKpiRepository::Figures(const KpiDimensions& dims,
                                                       const KpiFilter& filter,
                                                       const SlaTargets& sla) {
  const std::string first = FormatDay(filter.first), last = FormatDay(filter.last);
  const std::string study_sql =
      "SELECT " + KeyColumns(dims, "k.day", "k.modality_class") +
      ", sum(k.received) AS received,"
      " sum(k.diagnosed) FILTER (WHERE k.modality_class = 'CT') AS ct,"
      " sum(k.diagnosed) FILTER (WHERE k.modality_class = 'XRAY') AS xray,"
      " sum(k.diagnosed) FILTER (WHERE k.modality_class = 'OTHER') AS other,"
      " count(DISTINCT k.facility_id) FILTER (WHERE k.received > 0 AND f.active) AS facilities"
      " FROM kpi_study_daily k JOIN facility f ON f.id = k.facility_id"
      " WHERE k.day BETWEEN $1::date AND $2::date" +
      std::string(kFacilityFilter) + " GROUP BY 1, 2, 3, 4, 5";
  const std::string consultation_sql =
      "SELECT " + KeyColumns(dims, "k.day", "''::text") +
      ", sum(k.booked) AS booked, sum(k.completed) AS completed,"
      " sum(k.cancelled) AS cancelled, sum(k.no_show) AS no_show,"
      " count(DISTINCT k.facility_id) FILTER (WHERE k.completed > 0 AND f.active) AS facilities"
      " FROM kpi_consultation_daily k JOIN facility f ON f.id = k.facility_id"
      " WHERE k.day BETWEEN $1::date AND $2::date" +
      std::string(kFacilityFilter) + " GROUP BY 1, 2, 3, 4, 5";
  // Percentiles cannot be summed from daily counts: read the period's reported studies
  // from study_reported_kpi_idx (an index-only range scan on reported_at).
  const std::string turnaround_sql =
      "SELECT t, fc, fn, aimag, mc, priority, GROUPING(priority) AS all_priorities,"
      " count(*) AS n,"
      " percentile_cont(0.5) WITHIN GROUP (ORDER BY secs) AS median,"
      " percentile_cont(0.9) WITHIN GROUP (ORDER BY secs) AS p90,"
      " count(*) FILTER (WHERE secs > sla) AS breaches"
      " FROM (SELECT " +
      KeyColumns(dims, "(s.reported_at AT TIME ZONE $5)::date", "s.modality_class") +
      ", s.priority, extract(epoch FROM s.reported_at - s.ready_at) AS secs,"
      " CASE s.priority WHEN 0 THEN $6::int WHEN 1 THEN $7::int ELSE $8::int END AS sla"
      " FROM study s JOIN facility f ON f.id = s.facility_id"
      " WHERE s.status = 'reported'"
      " AND s.reported_at >= 'epoch'::timestamptz + $1 * interval '1 microsecond'"
      " AND s.reported_at < 'epoch'::timestamptz + $2 * interval '1 microsecond'"
      " AND s.ready_at IS NOT NULL"
      // names $5 (the zone) even when no time grain uses it: an unused parameter has no
      // type, which PostgreSQL refuses
      " AND $5::text IS NOT NULL" +
      std::string(kFacilityFilter) +
      ") r GROUP BY GROUPING SETS ((t, fc, fn, aimag, mc, priority), (t, fc, fn, aimag, mc))";

  std::map<KpiGroupKey, KpiFigures> groups;
  Status s = pool_.Run([&](pqxx::work& txn) {
    // One snapshot for the three reads, so the figures of a group agree with each other.
    txn.exec0("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    groups.clear();
    for (const pqxx::row& r :
         txn.exec_params(study_sql, first, last, filter.facility_code, filter.aimag)) {
      KpiFigures& g = groups[KeyOf(r)];
      g.studies_received = Count(r["received"]);
      g.diagnoses_ct = Count(r["ct"]);
      g.diagnoses_xray = Count(r["xray"]);
      g.diagnoses_other = Count(r["other"]);
      g.telemedicine_facilities = Count(r["facilities"]);
    }
    if (!dims.modality) {
      for (const pqxx::row& r :
           txn.exec_params(consultation_sql, first, last, filter.facility_code, filter.aimag)) {
        KpiFigures& g = groups[KeyOf(r)];
        g.e_exams_booked = Count(r["booked"]);
        g.e_exams_completed = Count(r["completed"]);
        g.e_exams_cancelled = Count(r["cancelled"]);
        g.e_exams_no_show = Count(r["no_show"]);
        g.online_hospital_facilities = Count(r["facilities"]);
      }
    }
    for (const pqxx::row& r : txn.exec_params(
             turnaround_sql, ToMicros(filter.start), ToMicros(filter.end), filter.facility_code,
             filter.aimag, filter.time_zone, static_cast<int>(sla.stat.count()),
             static_cast<int>(sla.urgent.count()), static_cast<int>(sla.routine.count()))) {
      TurnaroundStats t;
      t.count = r["n"].as<int64_t>();
      t.median_seconds = r["median"].as<double>();
      t.p90_seconds = r["p90"].as<double>();
      t.sla_breaches = r["breaches"].as<int64_t>();
      KpiFigures& g = groups[KeyOf(r)];
      if (r["all_priorities"].as<int>() == 1) {
        g.turnaround = t;
      } else {
        const int priority = r["priority"].as<int>();
        if (priority >= 0 && priority <= 2) g.turnaround_by_priority[priority] = t;
      }
    }
  });
  if (!s.ok()) return s;
  std::vector<KpiGroup> out;
  out.reserve(groups.size());
  for (auto& [key, figures] : groups) {
    figures.has_consultations = !dims.modality;
    out.push_back({key, figures});
  }
  // Without dimensions there is exactly one group, even for an empty window.
  if (out.empty() && !dims.time && !dims.facility && !dims.aimag && !dims.modality) {
    KpiGroup empty;
    empty.figures.has_consultations = true;
    out.push_back(empty);
  }
  return out;
}

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
    for (const pqxx::row& r : txn.exec(
             "SELECT priority, CASE WHEN age < interval '1 hour' THEN 'lt_1h'"
             " WHEN age < interval '4 hours' THEN '1h_4h'"
             " WHEN age < interval '24 hours' THEN '4h_24h'"
             " WHEN age < interval '7 days' THEN '1d_7d' ELSE 'ge_7d' END AS bucket, count(*)"
             " FROM (SELECT priority, now() - COALESCE(ready_at, received_at) AS age FROM study"
             " WHERE status IN ('ready', 'claimed')) b GROUP BY 1, 2 ORDER BY 1, 2"))
      out.push_back({r[0].as<int>(), r[1].as<std::string>(), r[2].as<int64_t>()});
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<FacilityTotals>> PgKpiRepository::Totals() {
  std::vector<FacilityTotals> out;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    out.clear();
    for (const pqxx::row& r :
         txn.exec("SELECT f.code, f.aimag, k.modality_class, sum(k.received), sum(k.diagnosed), 0"
                  " FROM kpi_study_daily k JOIN facility f ON f.id = k.facility_id"
                  " GROUP BY f.code, f.aimag, k.modality_class"
                  " UNION ALL"
                  " SELECT f.code, f.aimag, '', 0, 0, sum(k.completed)"
                  " FROM kpi_consultation_daily k JOIN facility f ON f.id = k.facility_id"
                  " GROUP BY f.code, f.aimag ORDER BY 1, 3"))
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

Result<KpiTarget> PgKpiRepository::PutTarget(const KpiTarget& target) {
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
  });
  if (!s.ok()) return s;
  return out;
}

Status PgKpiRepository::DeleteTarget(const std::string& indicator, const std::string& period) {
  bool found = false;
  Status s = pool_.Run([&](pqxx::work& txn) {
    found = txn.exec_params("DELETE FROM kpi_target WHERE indicator = $1 AND period = $2",
                            indicator, period)
                .affected_rows() == 1;
  });
  if (!s.ok()) return s;
  if (!found) return Status::NotFound("no target for this indicator and period");
  return Status::Ok();
}

}  // namespace telerad
