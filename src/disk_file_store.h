// DiskFileStore: FileStore on a local (or shared POSIX) filesystem.
//
// Layout under root: `.staging/` holds files being received; committed files live at
// `<root>/<key>`. Staging and final files are on one filesystem, so rename is atomic.
// Thread-safe: each call works on its own files; directory creation tolerates races.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "src/file_store.h"
#include "src/staging_pool.h"

namespace telerad {

class DiskFileStore : public FileStore {
 public:
  // Creates root and root/.staging if missing. kInternal if it cannot.
  static Result<std::unique_ptr<DiskFileStore>> Open(const std::string& root);

  Result<std::string> Stage() override;
  void StartWriteback(const std::string& staged_path) override;
  Status Commit(const std::string& staged_path, const std::string& key) override;
  void Discard(const std::string& staged_path) override;
  Status Remove(const std::string& key) override;
  std::string PathOf(const std::string& key) const override;
  Status CheckWritable() override;
  int CleanStaging() override;

 private:
  explicit DiskFileStore(std::string root);
  // mkdir -p of `dir` (below root), fsyncing each parent that gained an entry.
  Status MakeDirectories(const std::string& dir);

  const std::string root_;
  const std::string staging_;
  std::atomic<uint64_t> counter_{0};  // readiness probe names
  StagingPool staging_files_;
};

}  // namespace telerad
