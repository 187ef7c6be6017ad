#include "src/kpi/kpi_tally_folder.h"

#include "src/kpi/kpi_period.h"

namespace telerad {

KpiTallyFolder::KpiTallyFolder(const KpiDimensions& dims, const KpiFilter& filter,
                               bool month_by_month)
    : dims_(dims), filter_(filter), month_by_month_(month_by_month) {}

void KpiTallyFolder::AddFacility(int64_t id, KpiFacility facility) {
  if (!filter_.facility_code.empty() && facility.code != filter_.facility_code) return;
  if (!filter_.aimag.empty() && facility.aimag != filter_.aimag) return;
  facilities_.emplace(id, std::move(facility));
}

bool KpiTallyFolder::filtered() const {
  return !filter_.facility_code.empty() || !filter_.aimag.empty();
}

std::vector<int64_t> KpiTallyFolder::FacilityIds() const {
  std::vector<int64_t> ids;
  ids.reserve(facilities_.size());
  for (const auto& [id, facility] : facilities_) ids.push_back(id);
  return ids;
}

const KpiFacility* KpiTallyFolder::Facility(int64_t id) const {
  auto it = facilities_.find(id);
  return it == facilities_.end() ? nullptr : &it->second;
}

KpiTallyFolder::Place KpiTallyFolder::PlaceOf(date::sys_days day, int64_t facility_id,
                                              const KpiFacility* facility, std::string_view cls,
                                              bool into_group) {
  const date::sys_days bucket = dims_.time ? PeriodOf(*dims_.time, day).first : date::sys_days();
  Key key;
  key.time = bucket.time_since_epoch().count();
  key.facility = dims_.facility || dims_.aimag ? facility_id : 0;
  key.cls = dims_.modality ? ClassIndex(cls) : -1;
  key.into_group = into_group;
  auto it = places_.find(key);
  if (it != places_.end()) return it->second;
  const date::sys_days part =
      PeriodOf(TimeGrain::kMonth, month_by_month_ ? bucket : filter_.first).first;
  KpiTallies& tallies = parts_[part];
  KpiFiguresTally* group = nullptr;
  // A row that counts in the totals only makes no group (not even an empty one).
  if ((dims_.time || dims_.facility || dims_.aimag || dims_.modality) && into_group) {
    KpiGroupKey g;
    if (dims_.time) g.time = bucket;
    if (dims_.facility && facility) {
      g.facility_code = facility->code;
      g.facility_name = facility->name;
    }
    if (dims_.aimag && facility) g.aimag = facility->aimag;
    if (dims_.modality) g.modality_class = std::string(cls);
    group = &tallies.groups[g];
  }
  return places_.emplace(key, Place{&tallies.totals, group}).first->second;
}

size_t KpiTallyFolder::KeyHash::operator()(const Key& k) const {
  uint64_t h = static_cast<uint64_t>(k.time) * 0x9E3779B97F4A7C15ull;
  h ^= static_cast<uint64_t>(k.facility) + 0x7F4A7C159E3779B9ull + (h << 6) + (h >> 2);
  h ^= static_cast<uint64_t>(k.cls + 2) * 0xC2B2AE3D27D4EB4Full + (k.into_group ? 1 : 0);
  return static_cast<size_t>(h);
}

int KpiTallyFolder::ClassIndex(std::string_view cls) {
  for (size_t i = 0; i < classes_.size(); ++i)
    if (classes_[i] == cls) return static_cast<int>(i);
  classes_.emplace_back(cls);
  return static_cast<int>(classes_.size() - 1);
}

}  // namespace telerad
