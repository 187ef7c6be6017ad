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

bool AssociationAudit::AdmitRefusal(const std::string& peer, int& suppressed) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  if (peers_.size() >= kMaxTrackedPeers && peers_.count(peer) == 0) peers_.clear();
  PeerWindow& w = peers_[peer];
  if (w.written == 0 || now - w.start >= kRefusalWindow) {
    w.start = now;
    w.written = 0;
  }
  if (w.written >= kRefusalsPerWindow) {
    ++w.suppressed;
    return false;
  }
  ++w.written;
  suppressed = w.suppressed;
  w.suppressed = 0;
  return true;
}

void AssociationAudit::Refused(const std::string& calling_ae, const SenderOrigin& origin,
                               const char* outcome, const std::string& reason) {
  int suppressed = 0;
  if (!AdmitRefusal(origin.peer_address, suppressed)) return;
  AuditEntry e = EntryFor(calling_ae, origin);
  e.action = "dicom.association";
  e.object_type = "ae_title";
  e.object_id = PrintableAe(calling_ae);
  e.outcome = outcome;
  e.detail = "tls=" + std::string(origin.tls ? "true" : "false");
  if (suppressed > 0) e.detail += " suppressed=" + std::to_string(suppressed);
  e.detail += " reason=" + reason;
  audit_.Record(e, /*durable=*/false);
}

}  // namespace telerad::dicom
