// AssociationAdmission: how many associations run at once, in all and per calling AE
// title, so that one sender (registered or not, trickling or not) cannot take every
// worker and an over-cap peer is told so at once instead of waiting.
//
// Counts only; the caller rejects. Thread-safe: DicomServer admits on its accept thread
// and releases on its workers.
#pragma once

#include <map>
#include <mutex>
#include <string>

namespace telerad::dicom {

class AssociationAdmission {
 public:
  enum class Verdict { kAdmitted, kTotalLimit, kCallingAeLimit };

  // REQUIRES: total >= 1, per_calling_ae >= 1.
  AssociationAdmission(int total, int per_calling_ae);

  // kAdmitted and counts one association of `calling_ae`, or says which limit it would
  // pass and counts nothing. Every kAdmitted must be matched by one Release().
  Verdict TryAdmit(const std::string& calling_ae);

  // Ends one association admitted for `calling_ae`; an AE with none left is forgotten,
  // so a flood of made-up titles leaves nothing behind.
  void Release(const std::string& calling_ae);

  int Total() const;
  int For(const std::string& calling_ae) const;

 private:
  const int total_limit_;
  const int per_ae_limit_;
  mutable std::mutex mu_;
  int total_ = 0;                     // GUARDED_BY(mu_)
  std::map<std::string, int> by_ae_;  // GUARDED_BY(mu_)
};

}  // namespace telerad::dicom
