#include "src/ingest/ingest_service.h"

#include <chrono>
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

namespace {

// The UIDs a storage key and the index are built from: an error names the first bad one.
Status CheckUids(const InstanceHeader& h) {
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
  return Status::Ok();
}

InstanceRecord RecordOf(const Facility& sender, const InstanceHeader& h, const std::string& key,
                        uint64_t size_bytes) {
  InstanceRecord record;
  record.facility_id = sender.id;
  record.header = h;
  record.modality_class = ClassifyModality(h.modality);
  record.storage_key = key;
  record.size_bytes = size_bytes;
  return record;
}

using SteadyClock = std::chrono::steady_clock;

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

}  // namespace

// Registers an Ingest in flight for the settler (InFlight) for as long as it lives.
class IngestService::InFlightMark {
 public:
  InFlightMark(IngestService& service, std::string sop) : service_(service), sop_(std::move(sop)) {
    std::lock_guard<std::mutex> lock(service_.in_flight_mu_);
    service_.in_flight_.insert(sop_);
  }
  ~InFlightMark() {
    std::lock_guard<std::mutex> lock(service_.in_flight_mu_);
    service_.in_flight_.erase(service_.in_flight_.find(sop_));
  }
  InFlightMark(const InFlightMark&) = delete;
  InFlightMark& operator=(const InFlightMark&) = delete;

 private:
  IngestService& service_;
  const std::string sop_;
};

bool IngestService::InFlight(const std::string& sop_instance_uid) const {
  std::lock_guard<std::mutex> lock(in_flight_mu_);
  return in_flight_.count(sop_instance_uid) > 0;
}

Result<IngestResult> IngestService::Ingest(const Facility& sender, const InstanceHeader& h,
                                           StagedFile staged, uint64_t size_bytes) {
  if (Status uids = CheckUids(h); !uids.ok()) return uids;

  // A shortcut for repeats and clashes already committed; two senders racing may both
  // find nothing here, and then the index transaction decides (IndexInstance: kConflict
  // for the UID under another study or series).
  IngestTimings timings;
  const auto lookup_start = SteadyClock::now();
  auto existing = studies_.FindInstance(h.sop_instance_uid);
  timings.lookup = SecondsSince(lookup_start);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) return Repeat(sender, h, **existing, std::move(staged));

  auto key = StorageKeyFor(h.study_uid, h.series_uid, h.sop_instance_uid);
  if (!key.ok()) return key.status();
  InstanceRecord record = RecordOf(sender, h, *key, size_bytes);

  // Before the file lands: a settler that lists it then sees the mark until the index
  // outcome is known, and re-indexes nothing this attempt is still indexing.
  InFlightMark mark(*this, h.sop_instance_uid);
  // The landing (fsync, rename, landing-folder fsync) runs while the index statements
  // execute; the index transaction commits only once the file is durable, so a crash at
  // any point leaves no row without its file. The file never replaces another.
  std::shared_future<Result<LandedFile>> landing;
  double land_seconds = 0;  // written by the landing thread, read after landing.get()
  try {
    landing = std::async(std::launch::async, [staged = std::move(staged), k = *key, id = sender.id,
                                              &land_seconds]() mutable {
                const auto start = SteadyClock::now();
                auto landed = staged.Land(id, k);
                land_seconds = SecondsSince(start);
                return landed;
              }).share();
  } catch (const std::system_error&) {
    // No thread to be had: try again later. The staged file went with the task.
    return Status::ResourceExhausted("cannot start a thread");
  }
  const auto index_start = SteadyClock::now();
  auto indexed = studies_.IndexInstance(record, [&]() -> Result<std::string> {
    const auto wait_start = SteadyClock::now();
    const Result<LandedFile>& landed = landing.get();
    timings.index_waited += SecondsSince(wait_start);
    if (!landed.ok()) return landed.status();
    return landed->key;
  });
  timings.index = SecondsSince(index_start);
  const Result<LandedFile>& our_file = landing.get();  // always joined before returning
  timings.land = land_seconds;
  if (indexed.ok()) {
    // A concurrent attempt at the same instance indexed its own file first: ours is
    // named by no row (unless the other was a settler indexing this very file).
    if (!indexed->new_instance && our_file.ok())
      ForgetLandedUnlessIndexed(h.sop_instance_uid, *our_file);
    return IngestResult{indexed->study_id, !indexed->new_instance, timings};
  }
  if (our_file.ok()) ForgetLandedUnlessIndexed(h.sop_instance_uid, *our_file);
  return indexed.status();
}

Result<IngestResult> IngestService::Reindex(const Facility& sender, const InstanceHeader& h,
                                            const LandedFile& landed, uint64_t size_bytes) {
  if (Status uids = CheckUids(h); !uids.ok()) return uids;
  // The name is what the index row will name: it must be this header's instance, from
  // this header's study and series, or the row would point at another instance's file.
  auto key = StorageKeyFor(h.study_uid, h.series_uid, h.sop_instance_uid);
  if (!key.ok()) return key.status();
  const std::string stem = key->substr(0, key->size() - 4);  // without ".dcm"
  if (SopInstanceUidOfKey(landed.key) != h.sop_instance_uid ||
      landed.key.compare(0, stem.size(), stem) != 0)
    return Status::InvalidArgument("landed file's name does not match its header");
  auto indexed = studies_.IndexInstance(RecordOf(sender, h, landed.key, size_bytes),
                                        [&]() -> Result<std::string> { return landed.key; });
  if (!indexed.ok()) return indexed.status();
  return IngestResult{indexed->study_id, !indexed->new_instance, {}};
}

Result<IngestResult> IngestService::Repeat(const Facility& sender, const InstanceHeader& h,
                                           const StoredInstance& stored, StagedFile staged) {
  // The same SOP Instance UID in another facility's or another study's data is not a
  // repeat but a clash (a misconfigured modality): refuse it rather than drop it.
  if (stored.facility_id != sender.id || stored.study_uid != h.study_uid ||
      stored.series_uid != h.series_uid)
    return Status::Conflict("SOP Instance UID already stored for another study");
  // A repeat changes no file and no count: the staged copy is dropped.
  if (files_.Exists(stored.storage_key)) return IngestResult{0, true, {}};
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
  return IngestResult{0, true, {}};
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

void IngestService::ForgetLandedUnlessIndexed(const std::string& sop_instance_uid,
                                              const LandedFile& landed) {
  // As ForgetUnlessIndexed: kept when the outcome is unknown. A kept landed file is no
  // orphan: the settler indexes it (it was not acknowledged, so a later row for it is
  // what a resend would have made) or removes it once a row names another file.
  auto now = studies_.FindInstance(sop_instance_uid);
  if (!now.ok()) {
    CoreLog().warn("event=file_kept_outcome_unknown reason=\"{}\"", now.status().ToString());
    return;
  }
  if (now->has_value() && (*now)->storage_key == landed.key) return;
  Status removed = files_.RemoveLanded(landed.name);
  if (!removed.ok())
    CoreLog().error("event=landed_file_not_removed reason=\"{}\"", removed.ToString());
}

}  // namespace telerad
