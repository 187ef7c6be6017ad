#include "dicom/association_admission.h"

namespace telerad::dicom {

AssociationAdmission::AssociationAdmission(int total, int per_calling_ae)
    : total_limit_(total), per_ae_limit_(per_calling_ae) {}

AssociationAdmission::Verdict AssociationAdmission::TryAdmit(const std::string& calling_ae) {
  std::lock_guard<std::mutex> lock(mu_);
  // The AE's own cap first: a greedy sender is told it is the one over its limit even
  // when the server is also full.
  auto it = by_ae_.find(calling_ae);
  if (it != by_ae_.end() && it->second >= per_ae_limit_) return Verdict::kCallingAeLimit;
  if (total_ >= total_limit_) return Verdict::kTotalLimit;
  ++total_;
  ++by_ae_[calling_ae];
  return Verdict::kAdmitted;
}

void AssociationAdmission::Release(const std::string& calling_ae) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_ae_.find(calling_ae);
  if (it == by_ae_.end()) return;
  if (--it->second == 0) by_ae_.erase(it);
  --total_;
}

int AssociationAdmission::Total() const {
  std::lock_guard<std::mutex> lock(mu_);
  return total_;
}

int AssociationAdmission::For(const std::string& calling_ae) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_ae_.find(calling_ae);
  return it == by_ae_.end() ? 0 : it->second;
}

}  // namespace telerad::dicom
