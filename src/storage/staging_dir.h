// StagingDir: this process's own folder for files being received, under
// `<root>/.staging/<hostname>/`, and the clean-up of folders their processes abandoned.
//
// Several telerad processes may share one storage root: on one machine behind a load
// balancer, or on several over a shared filesystem (README, "Scaling out"). A process
// that starts must remove what a crashed one left half-received, but never the files
// another live process is receiving into. So each process stages into a folder of its
// own and holds an exclusive flock(2) on that folder while it lives; the kernel drops the
// lock when the process dies, even by SIGKILL. A folder whose lock can be taken belongs
// to nobody any more. Host names keep machines apart, so a lock never has to work
// across machines (flock over NFS is emulated and not to be relied on).
//
// Not thread-safe for CleanAbandoned(); path() may be read from any thread.
#pragma once

#include <memory>
#include <string>

#include "src/base/status.h"

namespace telerad {

class StagingDir {
 public:
  // Creates `<staging_root>/<hostname>/p-XXXXXX` and locks it. kResourceExhausted /
  // kInternal when the folder cannot be made or locked.
  static Result<std::unique_ptr<StagingDir>> Create(const std::string& staging_root);
  ~StagingDir();  // releases the lock; the folder stays for the next start-up to remove
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;

  const std::string& path() const { return path_; }

  // Deletes every file in this process's folder, and every folder (with its files) of
  // this host whose process is gone; returns how many deleted files held data (partly
  // received instances: empty ones are made ahead of need). Files directly in the host
  // folder (the layout before per-process folders) count as abandoned too.
  // REQUIRES: no staging file of this process is in use.
  int CleanAbandoned();

 private:
  StagingDir(std::string host_dir, std::string path, int lock_fd)
      : host_dir_(std::move(host_dir)), path_(std::move(path)), lock_fd_(lock_fd) {}

  const std::string host_dir_;
  const std::string path_;
  const int lock_fd_;  // the folder itself, opened and flock'ed for our lifetime
};

}  // namespace telerad
