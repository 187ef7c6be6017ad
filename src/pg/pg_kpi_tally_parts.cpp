#include "src/pg/pg_kpi_tally_parts.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "src/kpi/kpi_period.h"
#include "src/kpi/kpi_tally_folder.h"
#include "src/pg/pg_row.h"

namespace telerad {
namespace {

// Days travel as integers (`day - DATE '1970-01-01'`): no date text to format in the
// database and parse here for each of tens of thousands of rows.
constexpr const char* kEpochDay = " - DATE '1970-01-01'";

date::sys_days DayOf(const pqxx::field& f) { return date::sys_days(date::days(f.as<int>())); }

using Place = KpiTallyFolder::Place;

// The registry in the figures' snapshot.
void ReadFacilities(pqxx::work& txn, KpiTallyFolder& folder) {
  for (const pqxx::row& r : txn.exec("SELECT id, code, name, aimag, active FROM facility"))
    folder.AddFacility(r[0].as<int64_t>(),
                       KpiFacility{r[1].c_str(), r[2].c_str(), r[3].c_str(), r[4].as<bool>()});
}

// The admitted facilities as a bigint[] literal, for a filtered question's statements.
std::string FacilityIdsLiteral(const KpiTallyFolder& folder) {
  std::string ids = "{";
  for (int64_t id : folder.FacilityIds()) {
    if (ids.size() > 1) ids += ',';
    ids += std::to_string(id);
  }
  return ids + "}";
}

// Filtered, a statement reads only the admitted facilities' rows (parameter `param`, a
// bigint[]); unfiltered, the parameter is named only so that it has a type.
std::string FacilityClause(const KpiTallyFolder& folder, const std::string& alias,
                           const std::string& param) {
  return folder.filtered() ? " AND " + alias + ".facility_id = ANY(" + param + "::bigint[])"
                           : " AND " + param + "::bigint[] IS NOT NULL";
}

// What every statement of one question shares: the window, cut into its whole local
// months [months_from, months_to) (the monthly tables of schema 0007) and the days
// before and after them (the daily tables, and for turnaround by facility the signed
// studies' index), as statement parameters.
struct Window {
  std::string first, last;             // the window's days
  std::string months_from, months_to;  // its whole months; both the day after it if none
  // Where the window and its whole months begin and end in the zone, in microseconds
  // since the epoch (the signed studies of the edge days are found by instant).
  int64_t start_us, months_start_us, months_end_us, end_us;
  std::string time_zone;
  std::string ids;  // the filtered facilities, as a bigint[]
};

// Rows of `name`_monthly in the whole months [$1, $2) and of `name`_daily on the edge
// days [$3, $1) and [$2, $4], with `columns` after the day and the facility; $5 the
// filtered facilities. Rows as the tables hold them: summing them per group in the
// database (a GROUP BY, or array_agg of the facilities) cost it more than sending them
// costs both sides (bench/README.md, "KPI").
std::string MonthlyAndDaily(const std::string& name, const std::string& columns,
                            const std::string& facility_clause) {
  auto from = [&](const std::string& table, const std::string& time, const std::string& range) {
    return "SELECT k." + time + kEpochDay + ", k.facility_id, " + columns + " FROM " + table +
           " k WHERE " + range + facility_clause;
  };
  return from(name + "_monthly", "month", "k.month >= $1::date AND k.month < $2::date") +
         " UNION ALL " + from(name + "_daily", "day", "k.day >= $3::date AND k.day < $1::date") +
         " UNION ALL " + from(name + "_daily", "day", "k.day >= $2::date AND k.day <= $4::date");
}

// Each row of `name`'s monthly and daily tables in the window, of a facility the filter
// admits: `add`(row, facility id, facility).
template <typename Add>
void ForEachFacilityRow(pqxx::work& txn, const KpiTallyFolder& folder, const Window& w,
                        const std::string& name, const std::string& columns, Add add) {
  const std::string sql = MonthlyAndDaily(name, columns, FacilityClause(folder, "k", "$5"));
  for (const pqxx::row& r :
       txn.exec_params(sql, w.months_from, w.months_to, w.first, w.last, w.ids)) {
    const int64_t facility_id = r[1].as<int64_t>();
    if (const KpiFacility* facility = folder.Facility(facility_id)) add(r, facility_id, *facility);
  }
}

// Studies: a facility's received studies and diagnoses of one class, per day or month.
void ReadStudies(pqxx::work& txn, KpiTallyFolder& folder, const Window& w) {
  ForEachFacilityRow(
      txn, folder, w, "kpi_study", "k.modality_class, k.received, k.diagnosed",
      [&](const pqxx::row& r, int64_t facility_id, const KpiFacility& facility) {
        const std::string_view cls = r[2].c_str();
        const int64_t received = r[3].as<int64_t>(), diagnosed = r[4].as<int64_t>();
        const Place place = folder.PlaceOf(DayOf(r[0]), facility_id, &facility, cls, true);
        for (KpiFiguresTally* t : {place.totals, place.group})
          if (t)
            t->AddStudies(facility_id, facility.active, received, cls == "CT" ? diagnosed : 0,
                          cls == "XRAY" ? diagnosed : 0, cls == "OTHER" ? diagnosed : 0);
      });
}

// E-examinations have no modality class: grouped by it, they count in the totals only.
void ReadConsultations(pqxx::work& txn, KpiTallyFolder& folder, const Window& w, bool into_group) {
  ForEachFacilityRow(
      txn, folder, w, "kpi_consultation", "k.booked, k.completed, k.cancelled, k.no_show",
      [&](const pqxx::row& r, int64_t facility_id, const KpiFacility& facility) {
        const Place place = folder.PlaceOf(DayOf(r[0]), facility_id, &facility, "", into_group);
        for (KpiFiguresTally* t : {place.totals, place.group})
          if (t)
            t->AddConsultations(facility_id, facility.active, r[2].as<int64_t>(),
                                r[3].as<int64_t>(), r[4].as<int64_t>(), r[5].as<int64_t>());
      });
}

// Turnaround. Without a facility or aimag, in the key or the filter, schema 0016's
// national histograms answer alone: whole months from the monthly one, edge days from
// the daily one (a year by day: some 40,000 rows instead of every signature of the
// year); rows that signatures withdrawn since left at zero are no group. By facility or
// aimag: the per-facility monthly histogram of the whole months, plus the signed studies
// of the edge days (study_signed_kpi_idx, without touching the table), bucketed the same
// way.
void ReadTurnaround(pqxx::work& txn, KpiTallyFolder& folder, const Window& w,
                    const KpiDimensions& dims) {
  // Columns from `class_column`: modality class, priority, bucket, signed, breaches.
  auto add = [&](const pqxx::row& r, int64_t facility_id, const KpiFacility* facility,
                 int class_column) {
    const Place place =
        folder.PlaceOf(DayOf(r[0]), facility_id, facility, r[class_column].c_str(), true);
    const int priority = r[class_column + 1].as<int>(), bucket = r[class_column + 2].as<int>();
    const int64_t n = r[class_column + 3].as<int64_t>(),
                  breaches = r[class_column + 4].as<int64_t>();
    for (KpiFiguresTally* t : {place.totals, place.group})
      if (t) t->AddTurnaround(priority, bucket, n, breaches);
  };
  if (!dims.facility && !dims.aimag && !folder.filtered()) {
    const std::string sql =
        std::string("SELECT h.month") + kEpochDay +
        ", h.modality_class, h.priority, h.bucket, h.signed, h.breaches"
        " FROM kpi_turnaround_national_monthly h"
        " WHERE h.month >= $1::date AND h.month < $2::date AND h.signed <> 0"
        " UNION ALL SELECT h.day" +
        kEpochDay +
        ", h.modality_class, h.priority, h.bucket, h.signed, h.breaches"
        " FROM kpi_turnaround_national_daily h"
        " WHERE (h.day >= $3::date AND h.day < $1::date OR h.day >= $2::date AND h.day <= $4::date)"
        " AND h.signed <> 0";
    for (const pqxx::row& r : txn.exec_params(sql, w.months_from, w.months_to, w.first, w.last))
      add(r, 0, nullptr, 1);
    return;
  }
  auto edge = [&](const char* from_param, const char* to_param) {
    return std::string("SELECT (s.reported_at AT TIME ZONE $6)::date") + kEpochDay +
           ", s.facility_id, s.modality_class, s.priority,"
           " kpi_turnaround_bucket(extract(epoch FROM s.reported_at - s.ready_at)), count(*),"
           " count(*) FILTER (WHERE s.sla_due_at IS NOT NULL AND s.reported_at > s.sla_due_at)"
           " FROM study s WHERE s.status = 'reported' AND s.ready_at IS NOT NULL"
           " AND s.reported_at >= 'epoch'::timestamptz + " +
           from_param + " * interval '1 microsecond' AND s.reported_at < 'epoch'::timestamptz + " +
           to_param + " * interval '1 microsecond'" + FacilityClause(folder, "s", "$5") +
           " GROUP BY 1, 2, 3, 4, 5";
  };
  const std::string sql =
      std::string("SELECT h.month") + kEpochDay +
      ", h.facility_id, h.modality_class, h.priority, h.bucket, h.signed, h.breaches"
      " FROM kpi_turnaround_monthly h WHERE h.month >= $1::date AND h.month < $2::date" +
      FacilityClause(folder, "h", "$5") + " UNION ALL " + edge("$3", "$4") + " UNION ALL " +
      edge("$7", "$8");
  for (const pqxx::row& r :
       txn.exec_params(sql, w.months_from, w.months_to, w.start_us, w.months_start_us, w.ids,
                       w.time_zone, w.months_end_us, w.end_us)) {
    const int64_t facility_id = r[1].as<int64_t>();
    if (const KpiFacility* facility = folder.Facility(facility_id))
      add(r, facility_id, facility, 2);
  }
}

}  // namespace

std::map<date::sys_days, KpiTallies> ReadKpiTallyParts(pqxx::work& txn, const KpiDimensions& dims,
                                                       const KpiFilter& filter,
                                                       bool month_by_month) {
  // Grouped by day, or without a whole month, every day is an edge day.
  const KpiPeriod first_month = PeriodOf(TimeGrain::kMonth, filter.first);
  date::sys_days months_from =
      first_month.first < filter.first ? first_month.last + date::days(1) : first_month.first;
  date::sys_days months_to = PeriodOf(TimeGrain::kMonth, filter.last + date::days(1)).first;
  if (dims.time == TimeGrain::kDay || months_from >= months_to)
    months_from = months_to = filter.last + date::days(1);

  KpiTallyFolder folder(dims, filter, month_by_month);
  ReadFacilities(txn, folder);
  const Window window{FormatDay(filter.first),
                      FormatDay(filter.last),
                      FormatDay(months_from),
                      FormatDay(months_to),
                      ToMicros(filter.start),
                      ToMicros(LocalDayStart(filter.time_zone, months_from)),
                      ToMicros(LocalDayStart(filter.time_zone, months_to)),
                      ToMicros(filter.end),
                      filter.time_zone,
                      folder.filtered() ? FacilityIdsLiteral(folder) : "{}"};
  ReadStudies(txn, folder, window);
  ReadConsultations(txn, folder, window, !dims.modality);
  ReadTurnaround(txn, folder, window, dims);
  return folder.TakeParts();
}

}  // namespace telerad
