// AssociationAudit: the DICOM door's entries in the audit trail. An auditor asks of the
// DICOM port what DICOM's own audit messages answer (PS3.15 A.5.3: "DICOM Instances
// Transferred", "Security Alert"): which sender delivered which studies, from where,
// and who was turned away. One entry per association, not per instance: a 500-slice CT
// is one delivery, and the per-instance facts are already in the index.
//
// Entries name the calling AE title, the peer address and the study UIDs; never patient
// names or other header values. Thread-safe (AuditService is).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

#include "src/audit/audit_service.h"
#include "src/ingest/sender_origin.h"

namespace telerad::dicom {

// What one accepted association did, as its end reports it.
struct AssociationSummary {
  std::string calling_ae;
  std::string facility_code;  // the registered sender behind calling_ae
  SenderOrigin origin;
  std::set<std::string> study_uids;  // studies with an instance stored or already held
  int stored = 0;
  int duplicates = 0;
  int failed = 0;
  uint64_t bytes = 0;
};

class AssociationAudit {
 public:
  // At most this many study UIDs are listed per entry (a migration may send thousands in
  // one association); `studies=` in the detail still counts them all.
  static constexpr size_t kMaxListedStudies = 1000;

  // REQUIRES: `audit` outlives this object.
  explicit AssociationAudit(AuditService& audit) : audit_(audit) {}

  // An accepted association that stored, or tried to store, anything ("dicom.store"):
  // outcome success when no instance failed, else invalid. Written before returning:
  // it tells what the facility delivered.
  void Ended(const AssociationSummary& summary);

  // At most this many refusals per peer address per kRefusalWindow are written; the
  // rest are counted and the count goes into the peer's next written entry
  // ("suppressed=N"), so a peer reconnecting in a loop cannot grow the append-only trail
  // without bound or crowd the read records out of the shared queue.
  static constexpr int kRefusalsPerWindow = 10;
  static constexpr std::chrono::seconds kRefusalWindow{60};
  // Past this many peers tracked at once the table starts afresh (a scan of addresses).
  static constexpr size_t kMaxTrackedPeers = 10000;

  // An association turned away ("dicom.association"): `outcome` is an AuditOutcome word
  // (unauthenticated, denied, throttled, invalid, error), `reason` our own words. Queued
  // like reads rather than committed one by one, and limited per peer (above).
  void Refused(const std::string& calling_ae, const SenderOrigin& origin, const char* outcome,
               const std::string& reason);

 private:
  struct PeerWindow {
    std::chrono::steady_clock::time_point start;
    int written = 0;
    int suppressed = 0;  // in this window and earlier ones, not yet reported
  };
  // Whether a refusal from `peer` is written now; sets `suppressed` to the count the
  // written entry reports.
  bool AdmitRefusal(const std::string& peer, int& suppressed);

  AuditService& audit_;
  std::mutex mu_;
  std::unordered_map<std::string, PeerWindow> peers_;  // GUARDED_BY(mu_)
};

}  // namespace telerad::dicom
