#include "src/pg/pg_kpi_repository.h"

#include <array>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "src/kpi/kpi_figures_cache.h"
#include "src/kpi/kpi_histogram.h"
#include "src/pg/pg_pool.h"
#include "src/pg/pg_row.h"

namespace telerad {
namespace {

// The bucket (its first day, a date) of the local day `day_expr` for a time grain; NULL
// when figures are not grouped in time.
std::string TimeBucket(const std::optional<TimeGrain>& grain, const std::string& day_expr) {
  if (!grain) return "NULL::date";
  switch (*grain) {
    case TimeGrain::kDay:
      return day_expr;
    case TimeGrain::kMonth:
      return "date_trunc('month', " + day_expr + ")::date";
    case TimeGrain::kQuarter:
      return "date_trunc('quarter', " + day_expr + ")::date";
    case TimeGrain::kHalf:
      return "make_date(extract(year FROM " + day_expr + ")::int, CASE WHEN extract(month FROM " +
             day_expr + ") <= 6 THEN 1 ELSE 7 END, 1)";
    case TimeGrain::kYear:
      return "date_trunc('year', " + day_expr + ")::date";
  }
  return "NULL::date";
}

// The key columns t (a date), fc, fn, aimag, mc of every figures query: a dimension not
// asked for is a constant, so one GROUP BY serves every shape. Only these fixed fragments
// are ever put into the SQL text; values travel as parameters.
std::string KeyColumns(const KpiDimensions& dims, const std::string& day_expr,
                       const std::string& class_expr) {
  return TimeBucket(dims.time, day_expr) + " AS t, " + (dims.facility ? "f.code" : "''::text") +
         " AS fc, " + (dims.facility ? "f.name" : "''::text") + " AS fn, " +
         (dims.aimag ? "f.aimag" : "''::text") + " AS aimag, " +
         (dims.modality ? class_expr : "''::text") + " AS mc";
}

date::sys_days MonthStart(date::sys_days day) {
  const date::year_month_day ymd(day);
  return date::sys_days(ymd.year() / ymd.month() / 1);
}

// The outer query's key: the date formatted once per group, not once per row.
constexpr const char* kOuterKey = "to_char(t, 'YYYY-MM-DD') AS t, fc, fn, aimag, mc";

constexpr const char* kFacilityFilter =
    " AND ($3 = '' OR f.code = $3) AND ($4 = '' OR f.aimag = $4)";

// Every figures query begins with the key columns t, fc, fn, aimag, mc (kOuterKey), read
// by position: a lookup by name costs a search of the column names per field, which
// showed in the profile of a year's month x aimag figures (tens of thousands of rows).
KpiGroupKey KeyOf(const pqxx::row& r) {
  KpiGroupKey key;
  if (!r[0].is_null()) key.time = ParseDay(r[0].c_str());
  key.facility_code = r[1].c_str();
  key.facility_name = r[2].c_str();
  key.aimag = r[3].c_str();
  key.modality_class = r[4].c_str();
  return key;
}

int64_t Count(const pqxx::field& f) { return f.is_null() ? 0 : f.as<int64_t>(); }

// Sums one group's (or the totals') rows of the three figures queries. Columns after the
// key, by position: studies (facility_id, active, received, ct, xray, other),
// consultations (facility_id, active, booked, completed, cancelled, no_show), turnaround
// (priority, bucket, n, breaches).
class FiguresBuilder {
 public:
  void AddStudies(const pqxx::row& r) {
    const int64_t received = Count(r[7]);
    f_.studies_received += received;
    f_.diagnoses_ct += Count(r[8]);
    f_.diagnoses_xray += Count(r[9]);
    f_.diagnoses_other += Count(r[10]);
    if (received > 0 && r[6].as<bool>()) telemedicine_.insert(r[5].as<int64_t>());
  }
  void AddConsultations(const pqxx::row& r) {
    const int64_t completed = Count(r[8]);
    f_.e_exams_booked += Count(r[7]);
    f_.e_exams_completed += completed;
    f_.e_exams_cancelled += Count(r[9]);
    f_.e_exams_no_show += Count(r[10]);
    if (completed > 0 && r[6].as<bool>()) online_hospital_.insert(r[5].as<int64_t>());
  }
  void AddTurnaround(int priority, int bucket, int64_t n, int64_t breaches) {
    if (priority < 0 || priority > 2) return;
    turnaround_[priority].Add(bucket, n, breaches);
  }
  KpiFigures Build(bool with_consultations) const {
    KpiFigures f = f_;
    f.telemedicine_facilities = static_cast<int64_t>(telemedicine_.size());
    f.online_hospital_facilities = static_cast<int64_t>(online_hospital_.size());
    f.has_consultations = with_consultations;
    TurnaroundHistogram all;
    for (int p = 0; p < 3; ++p) {
      if (turnaround_[p].count() > 0) f.turnaround_by_priority[p] = turnaround_[p].Stats();
      all.Merge(turnaround_[p]);
    }
    if (all.count() > 0) f.turnaround = all.Stats();
    return f;
  }

 private:
  KpiFigures f_;
  std::set<int64_t> telemedicine_, online_hospital_;
  std::array<TurnaroundHistogram, 3> turnaround_;
};

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

Result<KpiGroupedFigures> PgKpiRepository::Figures(const KpiDimensions& dims,
                                                   const KpiFilter& filter,
                                                   KpiFiguresCache* cache) {
  const std::string first = FormatDay(filter.first), last = FormatDay(filter.last);
  // A window is read as its whole local months (the monthly tables of schema 0007) and
  // the days before the first and after the last of them (the daily tables, and for
  // turnaround the signed studies' index). Grouped by day, or without a whole month,
  // every day is such an edge day.
  date::sys_days months_from = MonthStart(filter.first);
  if (months_from < filter.first)
    months_from = date::sys_days(date::year_month_day(months_from) + date::months(1));
  date::sys_days months_to = MonthStart(filter.last + date::days(1));  // exclusive
  if (dims.time == TimeGrain::kDay || months_from >= months_to)
    months_from = months_to = filter.last + date::days(1);
  const auto hist_start = LocalDayStart(filter.time_zone, months_from);
  const auto hist_end = LocalDayStart(filter.time_zone, months_to);

  // Rows of a daily or monthly table `table` (alias k, time column `time`) in `range`,
  // with the group's key columns, the facility, and `columns`.
  auto source = [&](const std::string& table, const std::string& time,
                    const std::string& class_expr, const std::string& columns,
                    const std::string& range) {
    return "SELECT " + KeyColumns(dims, "k." + time, class_expr) + ", k.facility_id, f.active, " +
           columns + " FROM " + table + " k JOIN facility f ON f.id = k.facility_id WHERE " +
           range + kFacilityFilter;
  };
  auto sources = [&](const std::string& name, const std::string& class_expr,
                     const std::string& columns) {
    return source(name + "_monthly", "month", class_expr, columns,
                  // $5 (the zone) is the turnaround query's; named so that it has a type
                  "k.month >= $6::date AND k.month < $7::date AND $5::text IS NOT NULL") +
           " UNION ALL " +
           source(name + "_daily", "day", class_expr, columns,
                  "k.day >= $1::date AND k.day < $6::date") +
           " UNION ALL " +
           source(name + "_daily", "day", class_expr, columns,
                  "k.day >= $7::date AND k.day <= $2::date");
  };
  // Counts: one row per group and facility (hashed, a few hundred rows); the server sums
  // the groups and the totals and counts the distinct facilities of each.
  const std::string study_sql =
      std::string("SELECT ") + kOuterKey +
      ", facility_id, active, sum(received) AS received,"
      " sum(diagnosed) FILTER (WHERE cls = 'CT') AS ct,"
      " sum(diagnosed) FILTER (WHERE cls = 'XRAY') AS xray,"
      " sum(diagnosed) FILTER (WHERE cls = 'OTHER') AS other FROM (" +
      sources("kpi_study", "k.modality_class", "k.modality_class AS cls, k.received, k.diagnosed") +
      ") r GROUP BY r.t, fc, fn, aimag, mc, facility_id, active";
  const std::string consultation_sql =
      std::string("SELECT ") + kOuterKey +
      ", facility_id, active, sum(booked) AS booked, sum(completed) AS completed,"
      " sum(cancelled) AS cancelled, sum(no_show) AS no_show FROM (" +
      sources("kpi_consultation", "''::text", "k.booked, k.completed, k.cancelled, k.no_show") +
      ") r GROUP BY r.t, fc, fn, aimag, mc, facility_id, active";

  // Turnaround: the histogram of the whole months, plus the signed studies of the edge
  // days, bucketed the same way.
  const std::string signed_studies =
      "SELECT " + KeyColumns(dims, "(s.reported_at AT TIME ZONE $5)::date", "s.modality_class") +
      ", s.priority, kpi_turnaround_bucket(extract(epoch FROM s.reported_at - s.ready_at))"
      " AS bucket, 1 AS n,"
      " (s.sla_due_at IS NOT NULL AND s.reported_at > s.sla_due_at)::int AS b"
      " FROM study s JOIN facility f ON f.id = s.facility_id"
      " WHERE s.status = 'reported' AND s.ready_at IS NOT NULL"
      " AND s.reported_at >= 'epoch'::timestamptz + $%1 * interval '1 microsecond'"
      " AND s.reported_at < 'epoch'::timestamptz + $%2 * interval '1 microsecond'" +
      std::string(kFacilityFilter);
  auto edge = [&](const char* from_param, const char* to_param) {
    std::string sql = signed_studies;
    sql.replace(sql.find("$%1"), 3, from_param);
    sql.replace(sql.find("$%2"), 3, to_param);
    return sql;
  };
  const std::string turnaround_sql =
      std::string("SELECT ") + kOuterKey +
      ", priority, bucket, sum(n) AS n, sum(b) AS breaches FROM (SELECT " +
      KeyColumns(dims, "h.month", "h.modality_class") +
      ", h.priority, h.bucket, h.signed AS n, h.breaches AS b"
      " FROM kpi_turnaround_monthly h JOIN facility f ON f.id = h.facility_id"
      " WHERE h.month >= $6::date AND h.month < $7::date AND $5::text IS NOT NULL" +
      std::string(kFacilityFilter) + " UNION ALL " + edge("$1", "$8") + " UNION ALL " +
      edge("$9", "$2") + ") x GROUP BY x.t, fc, fn, aimag, mc, priority, bucket";
  // Without a facility or aimag, in the key or the filter, the national histograms of
  // schema 0016 answer alone: whole months from the monthly one, edge days from the daily
  // one (a year by day at 400,000 studies: 47,385 rows instead of every signature of
  // the year). Rows that signatures withdrawn since left at zero are no group.
  const bool national =
      !dims.facility && !dims.aimag && filter.facility_code.empty() && filter.aimag.empty();
  const std::string national_sql =
      std::string("SELECT ") + kOuterKey +
      ", priority, bucket, sum(n) AS n, sum(b) AS breaches FROM (SELECT " +
      KeyColumns(dims, "h.month", "h.modality_class") +
      ", h.priority, h.bucket, h.signed AS n, h.breaches AS b"
      " FROM kpi_turnaround_national_monthly h"
      " WHERE h.month >= $3::date AND h.month < $4::date AND h.signed <> 0 UNION ALL SELECT " +
      KeyColumns(dims, "h.day", "h.modality_class") +
      ", h.priority, h.bucket, h.signed, h.breaches FROM kpi_turnaround_national_daily h"
      " WHERE (h.day >= $1::date AND h.day < $3::date OR h.day >= $4::date AND h.day <= $2::date)"
      " AND h.signed <> 0) x GROUP BY x.t, fc, fn, aimag, mc, priority, bucket";

  const bool grouped = dims.time || dims.facility || dims.aimag || dims.modality;
  std::map<KpiGroupKey, FiguresBuilder> groups;
  // A group's builder by its raw key text: one hash lookup per row instead of building
  // and comparing a KpiGroupKey (the turnaround rows of a year by month and aimag are
  // some 44,000).
  std::unordered_map<std::string, FiguresBuilder*> by_raw_key;
  std::string raw;
  auto group_of = [&](const pqxx::row& r) -> FiguresBuilder& {
    raw.clear();
    for (pqxx::row::size_type i = 0; i < 5; ++i) {
      raw += r[i].is_null() ? "\x1e" : r[i].c_str();
      raw += '\x1f';
    }
    auto it = by_raw_key.find(raw);
    if (it == by_raw_key.end()) it = by_raw_key.emplace(raw, &groups[KeyOf(r)]).first;
    return *it->second;
  };
  FiguresBuilder totals;
  const std::string cache_key = cache ? KpiFiguresCache::KeyOf(dims, filter) : std::string();
  std::shared_ptr<const KpiGroupedFigures> cached;
  int64_t changes = 0;
  Status s = pool_.Run([&](pqxx::work& txn) {
    // One snapshot for the reads, so the figures of a group agree with each other and
    // with the change count they are remembered under.
    txn.exec0("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    groups.clear();
    by_raw_key.clear();
    totals = FiguresBuilder();
    if (cache) {
      // Every change of this window's inputs adds to a row of its months or to a
      // facility's registry row ('-infinity'): schema 0016.
      changes = txn.exec_params1(
                       "SELECT coalesce(sum(changes), 0)::bigint FROM kpi_change"
                       " WHERE month = '-infinity'::date OR (month >= date_trunc('month',"
                       " $1::date)::date AND month <= $2::date)",
                       first, last)[0]
                    .as<int64_t>();
      cached = cache->Find(cache_key, changes);
      if (cached) return;
    }
    const std::string from_month = FormatDay(months_from), to_month = FormatDay(months_to);
    for (const pqxx::row& r :
         txn.exec_params(study_sql, first, last, filter.facility_code, filter.aimag,
                         filter.time_zone, from_month, to_month)) {
      totals.AddStudies(r);
      if (grouped) group_of(r).AddStudies(r);
    }
    // E-examinations have no modality class: grouped by it, they count in the totals only.
    for (const pqxx::row& r :
         txn.exec_params(consultation_sql, first, last, filter.facility_code, filter.aimag,
                         filter.time_zone, from_month, to_month)) {
      totals.AddConsultations(r);
      if (grouped && !dims.modality) group_of(r).AddConsultations(r);
    }
    const pqxx::result turnaround =
        national ? txn.exec_params(national_sql, first, last, from_month, to_month)
                 : txn.exec_params(turnaround_sql, ToMicros(filter.start), ToMicros(filter.end),
                                   filter.facility_code, filter.aimag, filter.time_zone, from_month,
                                   to_month, ToMicros(hist_start), ToMicros(hist_end));
    for (const pqxx::row& r : turnaround) {
      const int priority = r[5].as<int>(), bucket = r[6].as<int>();
      const int64_t n = r[7].as<int64_t>(), breaches = r[8].as<int64_t>();
      totals.AddTurnaround(priority, bucket, n, breaches);
      if (grouped) group_of(r).AddTurnaround(priority, bucket, n, breaches);
    }
  });
  if (!s.ok()) return s;
  if (cached) return *cached;
  KpiGroupedFigures out;
  out.totals = totals.Build(true);
  out.groups.reserve(groups.size());
  for (const auto& [key, builder] : groups)
    out.groups.push_back({key, builder.Build(!dims.modality)});
  if (cache) cache->Store(cache_key, changes, out);
  return out;
}

}  // namespace telerad
