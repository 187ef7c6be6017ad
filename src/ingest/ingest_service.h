// IngestService: the core of the DICOM door's C-STORE. Decides who may send, validates
// what arrived, lands the file durably and indexes it, in that order, so that an
// acknowledged instance is never lost and no indexed instance lacks its file. The index
// COMMIT does not wait for the database's flush: the landed file, whose name says which
// facility sent it, is what recovery re-indexes from (LandingSettler; README,
// "Durability").
//
// Thread-safe: one instance serves every association worker; its locks are held for a
// set lookup only.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>

#include "src/base/model.h"
#include "src/base/status.h"
#include "src/index/facility_repository.h"
#include "src/index/study_repository.h"
#include "src/storage/file_store.h"

namespace telerad {

// Where Ingest's time went, seconds (what the door reports in its metrics). The landing
// runs on its own thread beside the index transaction; `index_waited` is the part of
// `index` that waited for it.
struct IngestTimings {
  double lookup = 0;        // whether the instance is indexed already
  double land = 0;          // fsync, rename into landing/, folder fsync
  double index = 0;         // the index transaction, COMMIT included
  double index_waited = 0;  // of `index`, waiting for the landing
};

struct IngestResult {
  int64_t study_id = 0;
  bool duplicate = false;  // the SOP Instance UID was already stored; nothing changed
  IngestTimings timings;   // of a new instance (Ingest); zeros otherwise
};

class IngestService {
 public:
  // REQUIRES: all three outlive this service.
  IngestService(StudyRepository& studies, FacilityRepository& facilities, FileStore& files);

  // The facility allowed to send under `calling_ae_title`. kPermissionDenied when no
  // facility has that AE title or it is inactive. While the database is down, a
  // facility admitted earlier by this process is admitted again from memory, so its
  // stores get a clear "out of resources" (0xA700) rather than a refused association;
  // kUnavailable for one never seen.
  Result<Facility> AdmitSender(const std::string& calling_ae_title);

  // A fresh staging file for the door to receive one instance into; dropping it removes
  // the file. kResourceExhausted / kInternal as FileStore::Stage.
  Result<StagedFile> Stage() { return files_.Stage(); }

  // Takes the staged file (landed or removed, whatever happens) and stores the
  // instance: validates its UIDs, makes the file durable in the landing folder under a
  // name built from them and the sender's id, and indexes it; OK once the file is
  // durable and the row committed (its WAL flush comes later: a row lost with a
  // database crash is indexed again from the landed file).
  // A repeat of an indexed instance (same facility, study and series) is OK and changes
  // nothing. Errors: kInvalidArgument (missing or malformed UIDs), kConflict (the UIDs
  // belong to another facility's study, or the SOP Instance UID to another study),
  // kResourceExhausted (disk full), kUnavailable (database down), kInternal (other I/O).
  // On any error nothing new is visible in the index, and no existing file is touched.
  Result<IngestResult> Ingest(const Facility& sender, const InstanceHeader& header,
                              StagedFile staged, uint64_t size_bytes);

  // Indexes a landed file whose row is missing, as Ingest would have: the same checks and
  // the same rows (study states and KPI counters follow from the schema's triggers). The
  // file is durable already and is not moved here. `sender` is the facility its name
  // names. Idempotent: a row already there is OK (duplicate). kInvalidArgument also when
  // the header's UIDs are not the ones the name says; other errors as Ingest.
  Result<IngestResult> Reindex(const Facility& sender, const InstanceHeader& header,
                               const LandedFile& landed, uint64_t size_bytes);

  // Whether an Ingest of this SOP Instance UID is between landing its file and learning
  // its index outcome in this process: the settler leaves such a file alone.
  bool InFlight(const std::string& sop_instance_uid) const;

 private:
  // An instance whose SOP Instance UID is indexed already: a repeat (OK, nothing
  // changes; a lost file is restored) or a clash with another study (kConflict).
  Result<IngestResult> Repeat(const Facility& sender, const InstanceHeader& header,
                              const StoredInstance& stored, StagedFile staged);
  // Removes a placed file unless the index names it (see the .cpp for why).
  void ForgetUnlessIndexed(const std::string& sop_instance_uid, const std::string& key);
  // The same for a landed file.
  void ForgetLandedUnlessIndexed(const std::string& sop_instance_uid, const LandedFile& landed);

  class InFlightMark;

  StudyRepository& studies_;
  FacilityRepository& facilities_;
  FileStore& files_;
  std::mutex admitted_mu_;                    // touched once per association only
  std::map<std::string, Facility> admitted_;  // GUARDED_BY(admitted_mu_)
  mutable std::mutex in_flight_mu_;           // held for a set update or lookup
  std::multiset<std::string> in_flight_;      // GUARDED_BY(in_flight_mu_): SOP Instance UIDs
};

}  // namespace telerad
