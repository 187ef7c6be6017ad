#include "src/kpi/kpi_metrics.h"

#include <stdexcept>
#include <utility>

#include "src/base/model.h"

namespace telerad {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily Family(const char* name, const char* help, MetricType type) {
  MetricFamily f;
  f.name = name;
  f.help = help;
  f.type = type;
  return f;
}

void AddCounter(MetricFamily& f, std::vector<ClientMetric::Label> labels, int64_t value) {
  ClientMetric m;
  m.label = std::move(labels);
  m.counter.value = static_cast<double>(value);
  f.metric.push_back(std::move(m));
}

void AddGauge(MetricFamily& f, std::vector<ClientMetric::Label> labels, int64_t value) {
  ClientMetric m;
  m.label = std::move(labels);
  m.gauge.value = static_cast<double>(value);
  f.metric.push_back(std::move(m));
}

template <typename T>
T ValueOr(Result<T> r, const char* what) {
  if (!r.ok()) throw std::runtime_error(std::string(what) + ": " + r.status().message());
  return std::move(*r);
}

}  // namespace

KpiMetrics::KpiMetrics(KpiRepository& repository, std::string time_zone, const Clock& clock,
                       const KpiFiguresCache* cache)
    : repository_(repository), time_zone_(std::move(time_zone)), clock_(clock), cache_(cache) {}

std::vector<MetricFamily> KpiMetrics::Collect() const {
  const auto totals = ValueOr(repository_.Totals(), "KPI totals");
  const auto today = LocalDayOf(time_zone_, clock_.Now());
  const auto using_by = ValueOr(repository_.FacilitiesUsingBy(today, "", ""), "KPI facilities");
  const auto backlog = ValueOr(repository_.Backlog(), "KPI backlog");

  MetricFamily received = Family("telerad_kpi_studies_received_total",
                                 "Studies received, all time, by sending facility, its aimag and "
                                 "modality class (CT, XRAY, OTHER)",
                                 MetricType::Counter);
  MetricFamily diagnoses = Family("telerad_kpi_diagnoses_total",
                                  "Remote image diagnoses issued (signed reports), all time, by "
                                  "sending facility, its aimag and modality class",
                                  MetricType::Counter);
  MetricFamily e_exams = Family("telerad_kpi_e_examinations_completed_total",
                                "Online-hospital e-examinations completed, all time, by booking "
                                "facility and its aimag",
                                MetricType::Counter);
  for (const FacilityTotals& t : totals) {
    if (t.modality_class.empty()) {
      AddCounter(e_exams, {{"facility", t.facility_code}, {"aimag", t.aimag}}, t.e_exams_completed);
      continue;
    }
    std::vector<ClientMetric::Label> labels = {
        {"facility", t.facility_code}, {"aimag", t.aimag}, {"modality_class", t.modality_class}};
    AddCounter(received, labels, t.received);
    AddCounter(diagnoses, std::move(labels), t.diagnosed);
  }

  MetricFamily facilities = Family("telerad_kpi_facilities",
                                   "Active facilities that have used the service on or before "
                                   "today (telemedicine: sent a study; online_hospital: completed "
                                   "an e-examination)",
                                   MetricType::Gauge);
  AddGauge(facilities, {{"activity", "telemedicine"}}, using_by.telemedicine);
  AddGauge(facilities, {{"activity", "online_hospital"}}, using_by.online_hospital);

  // Every priority and age appears, zeros included, so that a sum over the family is the
  // whole backlog and an alert on one series does not go stale when it empties.
  MetricFamily waiting = Family("telerad_kpi_backlog_studies",
                                "Studies waiting for a report now (ready or claimed), by priority "
                                "and time since they became ready",
                                MetricType::Gauge);
  static const char* const kAges[] = {"lt_1h", "1h_4h", "4h_24h", "1d_7d", "ge_7d"};
  for (int priority = 0; priority < 3; ++priority)
    for (const char* age : kAges) {
      int64_t n = 0;
      for (const BacklogBucket& b : backlog)
        if (b.priority == priority && b.age == age) n = b.studies;
      AddGauge(waiting, {{"priority", ToString(static_cast<Priority>(priority))}, {"age", age}}, n);
    }

  std::vector<MetricFamily> out;
  out.push_back(std::move(received));
  out.push_back(std::move(diagnoses));
  out.push_back(std::move(e_exams));
  out.push_back(std::move(facilities));
  out.push_back(std::move(waiting));
  if (cache_) {
    MetricFamily answers = Family("telerad_kpi_figures_answers_total",
                                  "KPI figures questions this process answered from memory (their "
                                  "window unchanged since, or computed by a concurrent request) "
                                  "or computed from the database",
                                  MetricType::Counter);
    AddCounter(answers, {{"source", "memory"}}, cache_->hits());
    AddCounter(answers, {{"source", "database"}}, cache_->misses());
    out.push_back(std::move(answers));
  }
  return out;
}

}  // namespace telerad
