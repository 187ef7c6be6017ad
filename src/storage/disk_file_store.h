// DiskFileStore: FileStore on a local (or shared POSIX) filesystem.
//
// Layout under root: `.staging/<hostname>/p-XXXXXX/` holds the files this process is
// receiving (StagingDir: one folder per process, so processes sharing the root never
// remove each other's); `landing/` holds files durable but not yet settled, under their
// landing names (landing_name.h); `orphans/` holds landed files that could not be indexed,
// set aside for an operator; settled files live at `<root>/<key>`. All are on one
// filesystem, so rename is atomic. Neither `landing` nor `orphans` can be a study folder:
// UIDs hold digits and dots only. Thread-safe: each call works on its own files; directory
// creation tolerates races.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include "src/storage/file_store.h"
#include "src/storage/staging_dir.h"
#include "src/storage/staging_pool.h"

namespace telerad {

class DiskFileStore : public FileStore {
 public:
  // Creates root and this process's staging folder. kInternal if it cannot.
  static Result<std::unique_ptr<DiskFileStore>> Open(const std::string& root);

  bool Exists(const std::string& key) const override;
  Status Remove(const std::string& key) override;
  std::string PathOf(const std::string& key) const override;
  Status CheckWritable() override;
  int CleanStaging() override;
  Result<std::vector<LandingEntry>> ListLanding() override;
  std::string LandingPathOf(const std::string& name) const override;
  Result<bool> MoveIntoPlace(const LandedFile& landed) override;
  Status SyncPlaced(const std::vector<std::string>& keys) override;
  Status RemoveLanded(const std::string& name) override;
  Result<bool> SetAside(const std::string& name) override;

 private:
  DiskFileStore(std::string root, std::unique_ptr<StagingDir> staging_dir);
  Result<std::string> NewStagingPath() override;
  void StartWriteback(const std::string& staged_path) override;
  Result<std::string> Commit(const std::string& staged_path, const std::string& key) override;
  Result<std::string> Land(const std::string& staged_path, int64_t facility_id,
                           const std::string& key) override;
  void Discard(const std::string& staged_path) override;
  // `<root>/<key>`: the settled place, whatever is there.
  std::string FinalPathOf(const std::string& key) const;
  // The landing name of `key` (any facility), or "" when it is not landed.
  std::string FindLanded(const std::string& key) const;
  // mkdir -p of `dir` (below root). OK only once every folder on the way is durably
  // named in its parent, also when another thread created it and may not have synced
  // yet: a folder is fsynced-into-its-parent by us unless this process already did.
  Status MakeDirectories(const std::string& dir);

  const std::string root_;
  const std::unique_ptr<StagingDir> staging_dir_;  // locked while this store lives
  const std::string staging_;
  const std::string landing_;
  const std::string orphans_;
  std::atomic<uint64_t> counter_{0};  // readiness probe and variant key names
  StagingPool staging_files_;
  std::mutex durable_dirs_mu_;                    // held for a set lookup once per instance
  std::unordered_set<std::string> durable_dirs_;  // GUARDED_BY(durable_dirs_mu_)
};

}  // namespace telerad
