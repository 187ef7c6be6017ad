#include "src/ingest/ingest_service.h"

#include <future>

#include "src/base/logging.h"
#include "src/base/uid.h"

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
                                           StagedFile staged, uint64_t size_bytes) {
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
  if (bad) return Status::InvalidArgument(std::string("missing or malformed ") + bad);

  // A shortcut for repeats and clashes already committed; two senders racing may both
  // find nothing here, and then the index transaction decides (IndexInstance: kConflict
  // for the UID under another study or series).
  auto existing = studies_.FindInstance(h.sop_instance_uid);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) return Repeat(sender, h, **existing, std::move(staged));

  auto key = StorageKeyFor(h.study_uid, h.series_uid, h.sop_instance_uid);
  if (!key.ok()) return key.status();
  InstanceRecord record;
  record.facility_id = sender.id;
  record.header = h;
  record.modality_class = ClassifyModality(h.modality);
  record.storage_key = *key;
  record.size_bytes = size_bytes;

  // The file's fsync/rename/dir-fsync runs while the index statements execute; the
  // index transaction commits only once the file is durable, so a crash at any point
  // leaves no row without its file. The file never replaces another (FileStore::Commit).
  std::shared_future<Result<std::string>> placed;
  try {
    placed = std::async(std::launch::async, [staged = std::move(staged), k = *key]() mutable {
               return staged.Commit(k);
             }).share();
  } catch (const std::system_error&) {
    // No thread to be had: try again later. The staged file went with the task.
    return Status::ResourceExhausted("cannot start a thread");
  }
  auto indexed = studies_.IndexInstance(record, [&] { return placed.get(); });
  const Result<std::string>& our_file = placed.get();  // always joined before returning
  if (indexed.ok()) {
    // A concurrent attempt at the same instance indexed its own file first: ours is
    // named by no row.
    if (!indexed->new_instance && our_file.ok()) (void)files_.Remove(*our_file);
    return IngestResult{indexed->study_id, !indexed->new_instance};
  }
  if (our_file.ok()) ForgetUnlessIndexed(h.sop_instance_uid, *our_file);
  return indexed.status();
}

Result<IngestResult> IngestService::Repeat(const Facility& sender, const InstanceHeader& h,
                                           const StoredInstance& stored, StagedFile staged) {
  // The same SOP Instance UID in another facility's or another study's data is not a
  // repeat but a clash (a misconfigured modality): refuse it rather than drop it.
  if (stored.facility_id != sender.id || stored.study_uid != h.study_uid ||
      stored.series_uid != h.series_uid)
    return Status::Conflict("SOP Instance UID already stored for another study");
  // A repeat changes no file and no count: the staged copy is dropped.
  if (files_.Exists(stored.storage_key)) return IngestResult{0, true};
  // Indexed, but its file is gone (restored backup, operator error): the repeat repairs it.
  auto key = StorageKeyFor(h.study_uid, h.series_uid, h.sop_instance_uid);
  if (!key.ok()) return key.status();
  auto placed = staged.Commit(*key);
  if (!placed.ok()) return placed.status();
  Status pointed = studies_.SetStorageKey(h.sop_instance_uid, *placed);
  if (!pointed.ok()) {
    ForgetUnlessIndexed(h.sop_instance_uid, *placed);
    return pointed;
  }
  CoreLog().warn("event=instance_file_restored facility_id={}", sender.id);
  return IngestResult{0, true};
}

void IngestService::ForgetUnlessIndexed(const std::string& sop_instance_uid,
                                        const std::string& key) {
  // Remove the file only when the index is known not to name it: if the database cannot
  // say (an outage, or a commit whose outcome was lost with the connection), keep it. An
  // unnamed file is invisible; a named file that is gone is an acknowledged loss.
  auto now = studies_.FindInstance(sop_instance_uid);
  if (!now.ok()) {
    CoreLog().warn("event=file_kept_outcome_unknown reason=\"{}\"", now.status().ToString());
    return;
  }
  if (now->has_value() && (*now)->storage_key == key) return;
  Status removed = files_.Remove(key);
  if (!removed.ok())
    CoreLog().error("event=orphan_file_not_removed reason=\"{}\"", removed.ToString());
}

}  // namespace telerad
