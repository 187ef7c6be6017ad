#include "src/kpi/kpi_service.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace telerad {
namespace {

Status AggregatesReader(const Principal& who) {
  if (who.role == Role::kMinistry || who.role == Role::kAdmin) return Status::Ok();
  return Status::PermissionDenied("KPI figures are for ministry staff and admins");
}

// Facility codes and aimag names as filters: short printable text, never echoed back.
Status CheckFilter(const std::string& name, const std::string& value) {
  if (value.size() > 128) return Status::InvalidArgument("'" + name + "' is too long");
  for (unsigned char c : value)
    if (c < 0x20 || c == 0x7f) return Status::InvalidArgument("'" + name + "' has control bytes");
  return Status::Ok();
}

Result<KpiDimensions> ParseDimensions(const std::vector<std::string>& group_by) {
  KpiDimensions dims;
  for (const std::string& key : group_by) {
    if (auto grain = ParseTimeGrain(key)) {
      if (dims.time) return Status::InvalidArgument("group_by takes at most one time grain");
      dims.time = grain;
    } else if (key == "facility") {
      dims.facility = true;
    } else if (key == "aimag") {
      dims.aimag = true;
    } else if (key == "modality") {
      dims.modality = true;
    } else {
      return Status::InvalidArgument(
          "group_by takes day, month, quarter, half, year, facility, aimag and modality");
    }
  }
  return dims;
}

// Targets of one period, falling back to the year's (the ministry sets yearly targets and
// reports them every half-year).
std::map<std::string, KpiTarget> TargetsFor(const std::vector<KpiTarget>& all,
                                            const KpiPeriod& period) {
  const std::string own = period.Name();
  const std::string year = PeriodOf(TimeGrain::kYear, period.first).Name();
  std::map<std::string, KpiTarget> chosen;
  for (const KpiTarget& t : all)
    if (t.period == year && !chosen.count(t.indicator)) chosen[t.indicator] = t;
  for (const KpiTarget& t : all)
    if (t.period == own) chosen[t.indicator] = t;
  return chosen;
}

std::optional<double> Achieved(const std::string& id, const KpiFiguresResult& f) {
  const KpiFigures& t = f.totals;
  if (id == "image_diagnoses") return static_cast<double>(t.diagnoses());
  if (id == "image_diagnoses_ct") return static_cast<double>(t.diagnoses_ct);
  if (id == "image_diagnoses_xray") return static_cast<double>(t.diagnoses_xray);
  if (id == "image_diagnoses_other") return static_cast<double>(t.diagnoses_other);
  if (id == "studies_received") return static_cast<double>(t.studies_received);
  if (id == "telemedicine_facilities") return static_cast<double>(f.facilities_by_end.telemedicine);
  if (id == "e_examinations") return static_cast<double>(t.e_exams_completed);
  if (id == "online_hospital_facilities")
    return static_cast<double>(f.facilities_by_end.online_hospital);
  if (!t.turnaround || t.turnaround->count == 0) return std::nullopt;
  if (id == "turnaround_median_hours") return KpiService::Hours(t.turnaround->median_seconds);
  if (id == "sla_breach_percent")
    return RoundHalfAway(100.0 * t.turnaround->sla_breaches / t.turnaround->count, 1);
  return std::nullopt;
}

}  // namespace

KpiService::KpiService(KpiRepository& repository, std::string time_zone, int cache_answers)
    : repository_(repository),
      time_zone_(std::move(time_zone)),
      cache_(static_cast<size_t>(cache_answers > 0 ? cache_answers : 0)),
      use_cache_(cache_answers > 0) {}

double KpiService::Hours(double seconds) { return RoundHalfAway(seconds / 3600.0, 2); }

Result<bool> KpiService::ApplyTimeZone() { return repository_.SetTimeZone(time_zone_); }

Result<KpiFilter> KpiService::Window(const KpiRequest& request) const {
  KpiFilter filter;
  if (!request.period.empty()) {
    if (!request.from.empty() || !request.to.empty())
      return Status::InvalidArgument("give either period or from and to, not both");
    auto period = ParsePeriod(request.period);
    if (!period.ok()) return period.status();
    filter.first = period->first;
    filter.last = period->last;
  } else {
    auto first = ParseDay(request.from), last = ParseDay(request.to);
    if (!first || !last)
      return Status::InvalidArgument(
          "give period (e.g. 2025H1) or from and to as local days YYYY-MM-DD");
    if (*last < *first) return Status::InvalidArgument("'to' is before 'from'");
    filter.first = *first;
    filter.last = *last;
  }
  if ((filter.last - filter.first).count() >= kMaxKpiWindowDays)
    return Status::InvalidArgument("a KPI window is at most 20 years");
  if (Status s = CheckFilter("facility", request.facility_code); !s.ok()) return s;
  if (Status s = CheckFilter("aimag", request.aimag); !s.ok()) return s;
  filter.facility_code = request.facility_code;
  filter.aimag = request.aimag;
  filter.time_zone = time_zone_;
  filter.start = LocalDayStart(time_zone_, filter.first);
  filter.end = LocalDayStart(time_zone_, filter.last + date::days(1));
  return filter;
}

Result<KpiFiguresResult> KpiService::Figures(const Principal& who, const KpiRequest& request) {
  if (Status s = AggregatesReader(who); !s.ok()) return s;
  auto filter = Window(request);
  if (!filter.ok()) return filter.status();
  auto dims = ParseDimensions(request.group_by);
  if (!dims.ok()) return dims.status();
  if (dims->time == TimeGrain::kDay &&
      (filter->last - filter->first).count() >= kMaxKpiDailyWindowDays)
    return Status::InvalidArgument("grouping by day covers at most two years");

  KpiFiguresResult result;
  result.first = filter->first;
  result.last = filter->last;
  result.time_zone = time_zone_;
  result.group_by = request.group_by;
  result.dims = *dims;
  auto figures = repository_.Figures(*dims, *filter, use_cache_ ? &cache_ : nullptr);
  if (!figures.ok()) return figures.status();
  result.totals = figures->totals;
  result.groups = std::move(figures->groups);
  auto using_by_end =
      repository_.FacilitiesUsingBy(filter->last, filter->facility_code, filter->aimag);
  if (!using_by_end.ok()) return using_by_end.status();
  result.facilities_by_end = *using_by_end;
  auto backlog = repository_.Backlog();
  if (!backlog.ok()) return backlog.status();
  result.backlog = std::move(*backlog);
  return result;
}

Result<KpiReport> KpiService::Report(const Principal& who, const std::string& period_name) {
  if (Status s = AggregatesReader(who); !s.ok()) return s;
  auto period = ParsePeriod(period_name);
  if (!period.ok()) return period.status();
  KpiRequest request;
  request.period = period->Name();
  auto figures = Figures(who, request);
  if (!figures.ok()) return figures.status();
  auto targets = repository_.Targets("");
  if (!targets.ok()) return targets.status();
  const auto chosen = TargetsFor(*targets, *period);

  KpiReport report;
  report.period = *period;
  report.time_zone = time_zone_;
  for (const KpiIndicator& indicator : KpiIndicators()) {
    KpiReportRow row;
    row.indicator = &indicator;
    if (auto t = chosen.find(indicator.id); t != chosen.end()) {
      row.baseline = t->second.baseline;
      row.target = t->second.target;
      row.target_period = t->second.period;
    }
    row.achieved = Achieved(indicator.id, *figures);
    if (row.achieved)
      row.percent = FulfilmentPercent(*row.achieved, row.target, indicator.higher_is_better);
    report.rows.push_back(row);
  }
  return report;
}

Result<std::vector<KpiTarget>> KpiService::Targets(const Principal& who,
                                                   const std::string& period) {
  if (Status s = AggregatesReader(who); !s.ok()) return s;
  std::string canonical;
  if (!period.empty()) {
    auto parsed = ParsePeriod(period);
    if (!parsed.ok()) return parsed.status();
    canonical = parsed->Name();
  }
  return repository_.Targets(canonical);
}

Result<KpiTarget> KpiService::PutTarget(const Principal& who, const std::string& indicator,
                                        const std::string& period, std::optional<double> baseline,
                                        std::optional<double> target, AuditEntry& audit) {
  if (who.role != Role::kAdmin) return Status::PermissionDenied("only admins set KPI targets");
  if (!FindKpiIndicator(indicator)) return Status::NotFound("no such indicator");
  auto parsed = ParsePeriod(period);
  if (!parsed.ok()) return parsed.status();
  if (!baseline && !target) return Status::Unprocessable("give a baseline, a target or both");
  for (const auto& v : {baseline, target})
    if (v && (!std::isfinite(*v) || *v < 0 || *v > 1e12))
      return Status::Unprocessable("baseline and target are numbers from 0 to 10^12");
  KpiTarget t;
  t.indicator = indicator;
  t.period = parsed->Name();
  t.baseline = baseline;
  t.target = target;
  t.updated_by = who.username;
  return repository_.PutTarget(t, audit);
}

Status KpiService::DeleteTarget(const Principal& who, const std::string& indicator,
                                const std::string& period, AuditEntry& audit) {
  if (who.role != Role::kAdmin) return Status::PermissionDenied("only admins set KPI targets");
  if (!FindKpiIndicator(indicator)) return Status::NotFound("no such indicator");
  auto parsed = ParsePeriod(period);
  if (!parsed.ok()) return parsed.status();
  return repository_.DeleteTarget(indicator, parsed->Name(), audit);
}

}  // namespace telerad
