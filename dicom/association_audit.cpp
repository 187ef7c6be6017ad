#include "dicom/association_audit.h"

#include <algorithm>

namespace telerad::dicom {
namespace {

constexpr size_t kMaxField = 64;  // the trail's username and object columns

// An AE title is 16 characters of the default repertoire (PS3.5 6.2), but a hostile peer
// may send any bytes there, and one invalid UTF-8 byte would make PostgreSQL refuse the
// whole batch of queued entries. Anything outside printable ASCII becomes '?'.
std::string PrintableAe(const std::string& ae) {
  std::string out = ae.substr(0, kMaxField);
  for (char& c : out)
    if (c < 0x20 || c > 0x7e) c = '?';
  return out;
}

AuditEntry EntryFor(const std::string& calling_ae, const SenderOrigin& origin) {
  AuditEntry e;
  // The AE title is the sender's only name on an association; "facility" says whose.
  e.username = PrintableAe(calling_ae);
  e.role = "facility";
  e.remote_addr = origin.peer_address;
  return e;
}

}  // namespace

void AssociationAudit::Ended(const AssociationSummary& s) {
  AuditEntry e = EntryFor(s.calling_ae, s.origin);
  e.action = "dicom.store";
  e.object_type = "facility";
  e.object_id = s.facility_code.substr(0, kMaxField);
  e.outcome = s.failed == 0 ? "success" : "invalid";
  const size_t listed = std::min(s.study_uids.size(), kMaxListedStudies);
  e.returned_ids.assign(s.study_uids.begin(),
                        std::next(s.study_uids.begin(), static_cast<std::ptrdiff_t>(listed)));
  e.detail = "studies=" + std::to_string(s.study_uids.size()) +
             " stored=" + std::to_string(s.stored) + " duplicates=" + std::to_string(s.duplicates) +
             " failed=" + std::to_string(s.failed) + " bytes=" + std::to_string(s.bytes) +
             " tls=" + (s.origin.tls ? "true" : "false");
  audit_.Record(e, /*durable=*/true);
}

void AssociationAudit::Refused(const std::string& calling_ae, const SenderOrigin& origin,
                               const char* outcome, const std::string& reason) {
  AuditEntry e = EntryFor(calling_ae, origin);
  e.action = "dicom.association";
  e.object_type = "ae_title";
  e.object_id = PrintableAe(calling_ae);
  e.outcome = outcome;
  e.detail = "tls=" + std::string(origin.tls ? "true" : "false") + " reason=" + reason;
  audit_.Record(e, /*durable=*/false);
}

}  // namespace telerad::dicom
