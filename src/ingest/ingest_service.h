// IngestService: the core of the DICOM door's C-STORE. Decides who may send, validates
// what arrived, places the file durably and indexes it, in that order, so that an
// acknowledged instance is never lost and no indexed instance lacks its file.
//
// Thread-safe: one instance serves every association worker; it holds no lock of its own.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "src/base/model.h"
#include "src/base/status.h"
#include "src/index/facility_repository.h"
#include "src/index/study_repository.h"
#include "src/storage/file_store.h"

namespace telerad {

struct IngestResult {
  int64_t study_id = 0;
  bool duplicate = false;  // the SOP Instance UID was already stored; nothing changed
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

  // Takes the staged file (committed or removed, whatever happens) and stores the
  // instance: validates its UIDs, makes the file durable under a path built from them,
  // and indexes it; OK only when both the file and the index are durable.
  // A repeat of an indexed instance (same facility, study and series) is OK and changes
  // nothing. Errors: kInvalidArgument (missing or malformed UIDs), kConflict (the UIDs
  // belong to another facility's study, or the SOP Instance UID to another study),
  // kResourceExhausted (disk full), kUnavailable (database down), kInternal (other I/O).
  // On any error nothing new is visible in the index, and no existing file is touched.
  Result<IngestResult> Ingest(const Facility& sender, const InstanceHeader& header,
                              StagedFile staged, uint64_t size_bytes);

 private:
  // An instance whose SOP Instance UID is indexed already: a repeat (OK, nothing
  // changes; a lost file is restored) or a clash with another study (kConflict).
  Result<IngestResult> Repeat(const Facility& sender, const InstanceHeader& header,
                              const StoredInstance& stored, StagedFile staged);
  // Removes a placed file unless the index names it (see the .cpp for why).
  void ForgetUnlessIndexed(const std::string& sop_instance_uid, const std::string& key);

  StudyRepository& studies_;
  FacilityRepository& facilities_;
  FileStore& files_;
  std::mutex admitted_mu_;                    // touched once per association only
  std::map<std::string, Facility> admitted_;  // GUARDED_BY(admitted_mu_)
};

}  // namespace telerad
