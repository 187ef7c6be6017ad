#include "src/storage/disk_file_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "src/storage/rename_no_replace.h"

namespace telerad {
namespace {

constexpr const char* kStagingDir = ".staging";
constexpr const char* kLandingDir = "landing";
constexpr const char* kOrphansDir = "orphans";
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
      landing_(root_ + "/" + kLandingDir),
      orphans_(root_ + "/" + kOrphansDir),
      staging_files_(staging_, kStagingFilesAhead) {}

Result<std::unique_ptr<DiskFileStore>> DiskFileStore::Open(const std::string& root) {
  std::string clean = root;
  while (clean.size() > 1 && clean.back() == '/') clean.pop_back();
  auto staging_dir = StagingDir::Create(clean + "/" + kStagingDir);
  if (!staging_dir.ok()) return staging_dir.status();
  std::unique_ptr<DiskFileStore> store(new DiskFileStore(clean, std::move(*staging_dir)));
  std::error_code ec;
  for (const std::string* dir : {&store->landing_, &store->orphans_}) {
    std::filesystem::create_directories(*dir, ec);
    if (ec) return IoError("create storage folders", ec.value());
  }
  // The landing and orphans folders must be named durably in the root before a file is
  // acknowledged from them.
  if (Status s = FsyncPath(store->root_, O_RDONLY | O_DIRECTORY); !s.ok()) return s;
  return store;
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
  const std::string dir = Parent(FinalPathOf(key));
  if (s.ok()) s = MakeDirectories(dir);
  std::string final_key = key;
  if (s.ok()) {
    // Never replace an existing file: it may be what a committed index row names.
    for (int attempt = 0;; ++attempt) {
      const int err = RenameNoReplace(staged_path, FinalPathOf(final_key));
      if (err == 0) break;
      if (err != EEXIST || attempt == 3) {
        s = IoError("rename", err);
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

Result<std::string> DiskFileStore::Land(const std::string& staged_path, int64_t facility_id,
                                        const std::string& key) {
  Status s = FsyncPath(staged_path, O_RDONLY);
  // The key's folder exists before Success, so that settling is a rename only, and a
  // store that cannot take the file in its final place refuses it now (0xA700), not
  // after it was acknowledged. Once per folder per process (MakeDirectories).
  if (s.ok()) s = MakeDirectories(Parent(FinalPathOf(key)));
  std::string final_key = key;
  if (s.ok()) {
    for (int attempt = 0;; ++attempt) {
      // A key already in place or landed (a concurrent attempt at the same instance, a
      // leftover) gets a variant, as in Commit: one file per key, never replaced.
      struct stat st {};
      const bool taken = ::stat(FinalPathOf(final_key).c_str(), &st) == 0;
      if (!taken) {
        const std::string target = landing_ + "/" + LandingNameFor(facility_id, final_key);
        const int err = RenameNoReplace(staged_path, target);
        if (err == 0) break;
        if (err != EEXIST) {
          s = IoError("rename", err);
          break;
        }
      }
      if (attempt == 3) {
        s = IoError("rename", EEXIST);
        break;
      }
      final_key = key.substr(0, key.size() - 4) + "-" + std::to_string(::getpid()) + "-" +
                  std::to_string(counter_.fetch_add(1)) + ".dcm";
    }
  }
  if (s.ok()) s = FsyncPath(landing_, O_RDONLY | O_DIRECTORY);
  if (!s.ok()) return s;  // the StagedFile removes what is left in staging
  return final_key;
}

Result<std::vector<FileStore::LandingEntry>> DiskFileStore::ListLanding() {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(landing_.c_str()), ::closedir);
  if (!dir) return IoError("open landing folder", errno);
  std::vector<LandingEntry> entries;
  while (dirent* entry = ::readdir(dir.get())) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    if (::stat((landing_ + "/" + name).c_str(), &st) != 0) continue;  // settled meanwhile
    // The ctime: the rename into landing set it (the mtime is the sender's last byte).
    const auto changed = std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::seconds(st.st_ctim.tv_sec) +
            std::chrono::nanoseconds(st.st_ctim.tv_nsec)));
    entries.push_back({std::move(name), changed, static_cast<uint64_t>(st.st_size)});
  }
  return entries;
}

std::string DiskFileStore::LandingPathOf(const std::string& name) const {
  return landing_ + "/" + name;
}

Result<bool> DiskFileStore::MoveIntoPlace(const LandedFile& landed) {
  const std::string from = LandingPathOf(landed.name);
  int err = RenameNoReplace(from, FinalPathOf(landed.key));
  if (err == 0) return true;
  if (err == ENOENT) {
    // Either the landed file is gone (another settler), or the key's folder is (removed
    // by hand after Land made it): make the folder and try once more.
    struct stat st {};
    if (::stat(from.c_str(), &st) != 0) return false;
    if (Status made = MakeDirectories(Parent(FinalPathOf(landed.key))); !made.ok()) return made;
    err = RenameNoReplace(from, FinalPathOf(landed.key));
    if (err == 0) return true;
    if (err == ENOENT) return false;
  }
  if (err != EEXIST) return IoError("rename into place", err);
  // A file of this key is in place already (a repeat restored it): the same instance,
  // and the one the index names. The landed copy is redundant.
  if (Status removed = RemoveLanded(landed.name); !removed.ok()) return removed;
  return true;
}

Status DiskFileStore::SyncPlaced(const std::vector<std::string>& keys) {
  std::unordered_set<std::string> dirs;
  for (const std::string& key : keys) dirs.insert(Parent(FinalPathOf(key)));
  // The new names first, then the landing folder: a crash in between leaves a file under
  // both names at worst, never under none.
  for (const std::string& dir : dirs)
    if (Status s = FsyncPath(dir, O_RDONLY | O_DIRECTORY); !s.ok()) return s;
  return FsyncPath(landing_, O_RDONLY | O_DIRECTORY);
}

Status DiskFileStore::RemoveLanded(const std::string& name) {
  if (::unlink(LandingPathOf(name).c_str()) != 0 && errno != ENOENT)
    return IoError("unlink", errno);
  return FsyncPath(landing_, O_RDONLY | O_DIRECTORY);
}

Result<bool> DiskFileStore::SetAside(const std::string& name) {
  // The name is unique in landing, hence in orphans unless set aside before: keep both.
  std::string target = orphans_ + "/" + name;
  for (int attempt = 0;; ++attempt) {
    const int err = RenameNoReplace(LandingPathOf(name), target);
    if (err == 0) break;
    if (err == ENOENT) return false;
    if (err != EEXIST || attempt == 3) return IoError("rename into orphans", err);
    target = orphans_ + "/" + name + "." + std::to_string(::getpid()) + "-" +
             std::to_string(counter_.fetch_add(1));
  }
  if (Status s = FsyncPath(orphans_, O_RDONLY | O_DIRECTORY); !s.ok()) return s;
  if (Status s = FsyncPath(landing_, O_RDONLY | O_DIRECTORY); !s.ok()) return s;
  return true;
}

std::string DiskFileStore::FindLanded(const std::string& key) const {
  // Only while a file has not been settled (about a second): a listing of the landing
  // folder, which holds that second's files, for the reader that comes that early.
  std::string suffix = key;
  for (char& c : suffix)
    if (c == '/') c = '_';
  suffix = "_" + suffix;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(landing_.c_str()), ::closedir);
  if (!dir) return "";
  while (dirent* entry = ::readdir(dir.get())) {
    const std::string name = entry->d_name;
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      auto landed = ParseLandingName(name);
      if (landed && landed->key == key) return name;
    }
  }
  return "";
}

std::string DiskFileStore::FinalPathOf(const std::string& key) const { return root_ + "/" + key; }

bool DiskFileStore::Exists(const std::string& key) const {
  struct stat st {};
  if (::stat(FinalPathOf(key).c_str(), &st) == 0 && S_ISREG(st.st_mode)) return true;
  return !FindLanded(key).empty();
}

void DiskFileStore::Discard(const std::string& staged_path) { ::unlink(staged_path.c_str()); }

Status DiskFileStore::Remove(const std::string& key) {
  const std::string path = FinalPathOf(key);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return IoError("unlink", errno);
  return FsyncPath(Parent(path), O_RDONLY | O_DIRECTORY);
}

std::string DiskFileStore::PathOf(const std::string& key) const {
  const std::string final_path = FinalPathOf(key);
  struct stat st {};
  if (::stat(final_path.c_str(), &st) == 0) return final_path;
  const std::string landed = FindLanded(key);
  // Settled between the two looks: the final place holds it now.
  if (landed.empty() || ::stat(final_path.c_str(), &st) == 0) return final_path;
  return LandingPathOf(landed);
}

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
