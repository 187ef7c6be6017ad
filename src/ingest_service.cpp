#include "src/ingest_service.h"

#include <future>

#include "src/logging.h"
#include "src/uid.h"

namespace telerad {

IngestService::IngestService(StudyRepository& studies, FacilityRepository& facilities,
                             FileStore& files)
    : studies_(studies), facilities_(facilities), files_(files) {}

Result<Facility> IngestService::AdmitSender(const std::string& calling_ae_title) {
  auto found = facilities_.FindByAeTitle(calling_ae_title);
  std::lock_guard<std::mutex> lock(admitted_mu_);
  if (!found.ok()) {
    auto cached = admitted_.find(calling_ae_title);
    if (found.status().code() == StatusCode::kUnavailable && cached != admitted_.end())
      return cached->second;
    return found.status();
  }
  if (!found->has_value() || !(*found)->active) {
    admitted_.erase(calling_ae_title);
    return Status::PermissionDenied(found->has_value() ? "facility is inactive"
                                                       : "calling AE title not registered");
  }
  admitted_[calling_ae_title] = **found;
  return **found;
}

Result<IngestResult> IngestService::Ingest(const Facility& sender, const InstanceHeader& h,
                                           const std::string& staged_path, uint64_t size_bytes) {
  const char* bad = nullptr;
  if (!IsValidUid(h.sop_instance_uid))
    bad = "SOP Instance UID";
  else if (!IsValidUid(h.sop_class_uid))
    bad = "SOP Class UID";
  else if (!IsValidUid(h.study_uid))
    bad = "Study Instance UID";
  else if (!IsValidUid(h.series_uid))
    bad = "Series Instance UID";
  else if (!IsValidUid(h.transfer_syntax_uid))
    bad = "Transfer Syntax UID";
  if (bad) {
    files_.Discard(staged_path);
    return Status::InvalidArgument(std::string("missing or malformed ") + bad);
  }

  // A repeat changes no file and no count (API.md: idempotent re-send).
  auto exists = studies_.InstanceExists(h.sop_instance_uid);
  if (!exists.ok() || *exists) {
    files_.Discard(staged_path);
    if (!exists.ok()) return exists.status();
    return IngestResult{0, true};
  }

  auto key = StorageKeyFor(h.study_uid, h.series_uid, h.sop_instance_uid);
  if (!key.ok()) {
    files_.Discard(staged_path);
    return key.status();
  }

  InstanceRecord record;
  record.facility_id = sender.id;
  record.header = h;
  record.modality_class = ClassifyModality(h.modality);
  record.storage_key = *key;
  record.size_bytes = size_bytes;

  // The file's fsync/rename/dir-fsync runs while the index statements execute; the
  // index transaction commits only once the file is durable (before_commit), so a
  // crash at any point leaves either both or no trace in the index.
  std::shared_future<Status> file_durable =
      std::async(std::launch::async, [this, staged_path, k = *key] {
        return files_.Commit(staged_path, k);
      }).share();
  auto indexed = studies_.IndexInstance(record, [&] { return file_durable.get(); });
  Status file_status = file_durable.get();  // always joined before returning
  if (!indexed.ok()) {
    // The file may be in place although its row is not: remove it, unless a concurrent
    // sender of the same instance has indexed it meanwhile (it was not indexed before).
    if (file_status.ok()) {
      auto now_exists = studies_.InstanceExists(h.sop_instance_uid);
      if (!(now_exists.ok() && *now_exists)) {
        Status removed = files_.Remove(*key);
        if (!removed.ok())
          CoreLog().error("event=orphan_file_not_removed reason=\"{}\"", removed.ToString());
      }
    }
    return indexed.status();
  }
  return IngestResult{indexed->study_id, !indexed->new_instance};
}

}  // namespace telerad
