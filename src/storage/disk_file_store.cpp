#include "src/storage/disk_file_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace telerad {
namespace {

constexpr const char* kStagingDir = ".staging";
// Empty staging files kept ready: more than the associations that receive at once.
constexpr uint64_t kStagingFilesAhead = 32;

// Maps an errno to the status callers act on: a full disk is a resource problem the
// sender may retry later (DICOM 0xA700); anything else is an internal I/O failure.
Status IoError(const char* what, int err) {
  std::string msg = std::string(what) + ": " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT) return Status::ResourceExhausted(msg);
  return Status::Internal(msg);
}

Status FsyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return IoError("open for fsync", errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  return rc == 0 ? Status::Ok() : IoError("fsync", err);
}

std::string Parent(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

DiskFileStore::DiskFileStore(std::string root, std::unique_ptr<StagingDir> staging_dir)
    : root_(std::move(root)),
      staging_dir_(std::move(staging_dir)),
      staging_(staging_dir_->path()),
      staging_files_(staging_, kStagingFilesAhead) {}

Result<std::unique_ptr<DiskFileStore>> DiskFileStore::Open(const std::string& root) {
  std::string clean = root;
  while (clean.size() > 1 && clean.back() == '/') clean.pop_back();
  auto staging_dir = StagingDir::Create(clean + "/" + kStagingDir);
  if (!staging_dir.ok()) return staging_dir.status();
  return std::unique_ptr<DiskFileStore>(new DiskFileStore(clean, std::move(*staging_dir)));
}

Result<std::string> DiskFileStore::NewStagingPath() { return staging_files_.Next(); }

void DiskFileStore::StartWriteback(const std::string& staged_path) {
  int fd = ::open(staged_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  // Asynchronous: queues the dirty pages for writeback and returns at once, so the
  // fsync in Commit() only waits for what arrived since (Linux sync_file_range(2)).
  ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
  ::close(fd);
}

Status DiskFileStore::MakeDirectories(const std::string& dir) {
  {
    std::lock_guard<std::mutex> lock(durable_dirs_mu_);
    if (durable_dirs_.count(dir)) return Status::Ok();
  }
  if (dir.size() <= root_.size()) return Status::Ok();  // the root itself
  Status parent = MakeDirectories(Parent(dir));
  if (!parent.ok()) return parent;
  if (::mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST) return IoError("mkdir", errno);
  // Whoever created it, its name must survive a crash before a file is renamed into it.
  Status synced = FsyncPath(Parent(dir), O_RDONLY | O_DIRECTORY);
  if (!synced.ok()) return synced;
  std::lock_guard<std::mutex> lock(durable_dirs_mu_);
  if (durable_dirs_.size() > 100000) durable_dirs_.clear();  // bound memory; re-syncing is cheap
  durable_dirs_.insert(dir);
  return Status::Ok();
}

Result<std::string> DiskFileStore::Commit(const std::string& staged_path, const std::string& key) {
  Status s = FsyncPath(staged_path, O_RDONLY);
  const std::string dir = Parent(PathOf(key));
  if (s.ok()) s = MakeDirectories(dir);
  std::string final_key = key;
  if (s.ok()) {
    // Never replace an existing file: it may be what a committed index row names.
    for (int attempt = 0;; ++attempt) {
      if (::renameat2(AT_FDCWD, staged_path.c_str(), AT_FDCWD, PathOf(final_key).c_str(),
                      RENAME_NOREPLACE) == 0)
        break;
      if (errno != EEXIST || attempt == 3) {
        s = IoError("rename", errno);
        break;
      }
      // "<sop>.dcm" -> "<sop>-<pid>-<n>.dcm": the dash keeps it from ever equalling the
      // name of another instance, whose UID has only digits and dots.
      final_key = key.substr(0, key.size() - 4) + "-" + std::to_string(::getpid()) + "-" +
                  std::to_string(counter_.fetch_add(1)) + ".dcm";
    }
  }
  if (s.ok()) s = FsyncPath(dir, O_RDONLY | O_DIRECTORY);
  if (!s.ok()) return s;  // the StagedFile removes what is left in staging
  return final_key;
}

bool DiskFileStore::Exists(const std::string& key) const {
  struct stat st {};
  return ::stat(PathOf(key).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

void DiskFileStore::Discard(const std::string& staged_path) { ::unlink(staged_path.c_str()); }

Status DiskFileStore::Remove(const std::string& key) {
  const std::string path = PathOf(key);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return IoError("unlink", errno);
  return FsyncPath(Parent(path), O_RDONLY | O_DIRECTORY);
}

std::string DiskFileStore::PathOf(const std::string& key) const { return root_ + "/" + key; }

Status DiskFileStore::CheckWritable() {
  const std::string probe = staging_ + "/readyz-" + std::to_string(::getpid()) + "-" +
                            std::to_string(counter_.fetch_add(1)) + ".probe";
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return IoError("create probe", errno);
  Status s = Status::Ok();
  if (::write(fd, "ok", 2) != 2 || ::fsync(fd) != 0) s = IoError("write probe", errno);
  ::close(fd);
  ::unlink(probe.c_str());
  return s;
}

int DiskFileStore::CleanStaging() { return staging_dir_->CleanAbandoned(); }

}  // namespace telerad
