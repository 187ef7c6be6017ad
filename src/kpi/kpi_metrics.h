// KpiMetrics: the KPI counters and gauges of GET /metrics, read from PostgreSQL at every
// scrape, so every server process on one database exports the same values and a restart
// loses none (issue 5, item 5). Registered with ServerMetrics::AddCollectable.
//
// Families (labels never carry more than a facility code and its aimag; no patient data):
//   telerad_kpi_studies_received_total{facility,aimag,modality_class}   counter
//   telerad_kpi_diagnoses_total{facility,aimag,modality_class}          counter
//   telerad_kpi_e_examinations_completed_total{facility,aimag}          counter
//   telerad_kpi_facilities{activity="telemedicine"|"online_hospital"}   gauge
//   telerad_kpi_backlog_studies{priority,age}                           gauge
//   telerad_kpi_figures_answers_total{source="memory"|"database"}       counter (this process)
// The counters are all-time sums of the daily aggregates; they only fall when a study is
// deleted or its report withdrawn, which Prometheus treats as a counter reset. The
// facility gauge counts active facilities that have used the service on or before today
// (local day in the configured zone), the README's "to date" figure. The answers counter
// is this process's own: how often its KpiFiguresCache served a figures question.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <string>
#include <vector>

#include "src/base/clock.h"
#include "src/kpi/kpi_figures_cache.h"
#include "src/kpi/kpi_repository.h"

namespace telerad {

class KpiMetrics : public prometheus::Collectable {
 public:
  // `repository`, `clock` and `cache` (may be null) must outlive this object; `time_zone`
  // is config time_zone. Today is the local day of clock.Now() in that zone, at each scrape.
  KpiMetrics(KpiRepository& repository, std::string time_zone, const Clock& clock,
             const KpiFiguresCache* cache = nullptr);

  // Throws std::runtime_error when PostgreSQL cannot answer; ServerMetrics then leaves
  // the KPI families out of that scrape and counts the failure.
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  KpiRepository& repository_;
  const std::string time_zone_;
  const Clock& clock_;
  const KpiFiguresCache* cache_;
};

}  // namespace telerad
