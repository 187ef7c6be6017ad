// KpiFiguresTally: the raw sums of one group's (or the totals') figures as the aggregate
// rows arrive: counts, the facilities seen, and turnaround histograms per priority.
// Unlike the finished KpiFigures (whose medians cannot be added), tallies of disjoint
// parts of a window merge into the tally of the whole, so the figures of a year can be
// remembered in parts of whole months (kpi_figures_cache.h).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "src/kpi/kpi_histogram.h"
#include "src/kpi/kpi_repository.h"

namespace telerad {

// The distinct facilities seen, as a sorted vector: a few hundred at most, and a year by
// day fills and merges hundreds of them (a std::set's node per facility and day showed as
// a fifth of such a question's time in the server).
class FacilityIdSet {
 public:
  void Insert(int64_t id);
  void Merge(const FacilityIdSet& other);
  size_t size() const { return ids_.size(); }

 private:
  std::vector<int64_t> ids_;
};

class KpiFiguresTally {
 public:
  // One row of study counts: a facility's received studies and diagnoses by class.
  void AddStudies(int64_t facility_id, bool facility_active, int64_t received, int64_t ct,
                  int64_t xray, int64_t other);
  // One row of e-examination counts of a facility.
  void AddConsultations(int64_t facility_id, bool facility_active, int64_t booked,
                        int64_t completed, int64_t cancelled, int64_t no_show);
  // Signed studies of one priority (0 stat, 1 urgent, 2 routine) in one turnaround bucket.
  void AddTurnaround(int priority, int bucket, int64_t signed_count, int64_t breaches);
  // Adds a tally of another, disjoint part of the window.
  void Merge(const KpiFiguresTally& other);

  KpiFigures Build(bool with_consultations) const;

 private:
  KpiFigures sums_;
  FacilityIdSet telemedicine_, online_hospital_;  // active facilities that used each
  std::array<TurnaroundHistogram, 3> turnaround_;
};

// The tallies of one part of a window: its totals and its groups.
struct KpiTallies {
  KpiFiguresTally totals;
  std::map<KpiGroupKey, KpiFiguresTally> groups;

  void Merge(const KpiTallies& other);
  // The finished figures; groups grouped by modality class have no e-examinations.
  KpiGroupedFigures Build(bool by_modality) const;
};

}  // namespace telerad
