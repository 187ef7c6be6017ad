#include "src/kpi/kpi_tally.h"

#include <algorithm>
#include <iterator>
#include <tuple>

namespace telerad {

bool KpiGroupKey::operator<(const KpiGroupKey& o) const {
  return std::tie(time, aimag, facility_code, modality_class) <
         std::tie(o.time, o.aimag, o.facility_code, o.modality_class);
}

void FacilityIdSet::Insert(int64_t id) {
  auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  if (it == ids_.end() || *it != id) ids_.insert(it, id);
}

void FacilityIdSet::Merge(const FacilityIdSet& other) {
  if (other.ids_.empty()) return;
  if (ids_.empty()) {
    ids_ = other.ids_;
    return;
  }
  std::vector<int64_t> merged;
  merged.reserve(ids_.size() + other.ids_.size());
  std::set_union(ids_.begin(), ids_.end(), other.ids_.begin(), other.ids_.end(),
                 std::back_inserter(merged));
  ids_ = std::move(merged);
}

void KpiFiguresTally::AddStudies(int64_t facility_id, bool facility_active, int64_t received,
                                 int64_t ct, int64_t xray, int64_t other) {
  sums_.studies_received += received;
  sums_.diagnoses_ct += ct;
  sums_.diagnoses_xray += xray;
  sums_.diagnoses_other += other;
  if (received > 0 && facility_active) telemedicine_.Insert(facility_id);
}

void KpiFiguresTally::AddConsultations(int64_t facility_id, bool facility_active, int64_t booked,
                                       int64_t completed, int64_t cancelled, int64_t no_show) {
  sums_.e_exams_booked += booked;
  sums_.e_exams_completed += completed;
  sums_.e_exams_cancelled += cancelled;
  sums_.e_exams_no_show += no_show;
  if (completed > 0 && facility_active) online_hospital_.Insert(facility_id);
}

void KpiFiguresTally::AddTurnaround(int priority, int bucket, int64_t signed_count,
                                    int64_t breaches) {
  if (priority < 0 || priority > 2) return;
  turnaround_[priority].Add(bucket, signed_count, breaches);
}

void KpiFiguresTally::Merge(const KpiFiguresTally& other) {
  sums_.studies_received += other.sums_.studies_received;
  sums_.diagnoses_ct += other.sums_.diagnoses_ct;
  sums_.diagnoses_xray += other.sums_.diagnoses_xray;
  sums_.diagnoses_other += other.sums_.diagnoses_other;
  sums_.e_exams_booked += other.sums_.e_exams_booked;
  sums_.e_exams_completed += other.sums_.e_exams_completed;
  sums_.e_exams_cancelled += other.sums_.e_exams_cancelled;
  sums_.e_exams_no_show += other.sums_.e_exams_no_show;
  telemedicine_.Merge(other.telemedicine_);
  online_hospital_.Merge(other.online_hospital_);
  for (int p = 0; p < 3; ++p) turnaround_[p].Merge(other.turnaround_[p]);
}

KpiFigures KpiFiguresTally::Build(bool with_consultations) const {
  KpiFigures f = sums_;
  // A facility counts once in a window however many of its parts it was seen in.
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

void KpiTallies::Merge(const KpiTallies& other) {
  totals.Merge(other.totals);
  for (const auto& [key, tally] : other.groups) groups[key].Merge(tally);
}

KpiGroupedFigures KpiTallies::Build(bool by_modality) const {
  KpiGroupedFigures out;
  out.totals = totals.Build(true);
  out.groups.reserve(groups.size());
  for (const auto& [key, tally] : groups) out.groups.push_back({key, tally.Build(!by_modality)});
  return out;
}

}  // namespace telerad
