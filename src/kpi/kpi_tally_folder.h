// KpiTallyFolder: folds the KPI aggregate rows of one question (a day or month, a
// facility, a modality class, and figures) into the parts and groups of its answer.
// Rows arrive per facility and class, finer than most answers, tens of thousands for a
// year by day: folding them here costs both sides less than summing them per group in
// the database did (bench/README.md, "KPI"), so a row's place is found by a hash of a
// few integers (its time bucket, and its facility and class where the answer is grouped
// by them) and each group's key is built once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "src/kpi/kpi_repository.h"
#include "src/kpi/kpi_tally.h"

namespace telerad {

// A registry entry as the figures' snapshot holds it.
struct KpiFacility {
  std::string code, name, aimag;
  bool active = false;
};

class KpiTallyFolder {
 public:
  // Where a row counts: its part's totals and, when grouped, its group.
  struct Place {
    KpiFiguresTally* totals;
    KpiFiguresTally* group;  // null when not grouped, or for a row of the totals only
  };

  // With `month_by_month` (only where the time bucket tells the month: grouped by day or
  // month) one part per month, else one part under the window's first month.
  KpiTallyFolder(const KpiDimensions& dims, const KpiFilter& filter, bool month_by_month);

  // A facility of the registry; kept only if the filter (code, aimag) admits it.
  void AddFacility(int64_t id, KpiFacility facility);
  bool filtered() const;
  // The admitted facilities' ids.
  std::vector<int64_t> FacilityIds() const;
  // The facility of a row; null when the filter leaves it out.
  const KpiFacility* Facility(int64_t id) const;

  // The place of a row of `day` (or month) of facility `facility_id` (0 and null for the
  // national histograms, read only when no facility or aimag is asked for) and class
  // `cls`; `into_group` false for a row that counts in the totals only.
  Place PlaceOf(date::sys_days day, int64_t facility_id, const KpiFacility* facility,
                std::string_view cls, bool into_group);

  std::map<date::sys_days, KpiTallies> TakeParts() { return std::move(parts_); }

 private:
  struct Key {
    int64_t time = 0;  // the bucket's day number; 0 when not grouped in time
    int64_t facility = 0;
    int cls = -1;
    bool into_group = false;
    bool operator==(const Key& o) const {
      return time == o.time && facility == o.facility && cls == o.cls && into_group == o.into_group;
    }
  };
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };
  // A small number for each modality class seen (CT, XRAY, OTHER and '').
  int ClassIndex(std::string_view cls);

  const KpiDimensions dims_;
  const KpiFilter filter_;
  const bool month_by_month_;
  std::unordered_map<int64_t, KpiFacility> facilities_;
  std::vector<std::string> classes_;
  std::unordered_map<Key, Place, KeyHash> places_;
  std::map<date::sys_days, KpiTallies> parts_;
};

}  // namespace telerad
