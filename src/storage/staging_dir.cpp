#include "src/storage/staging_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace telerad {
namespace {

Status IoError(const char* what, int err) {
  std::string msg = std::string(what) + ": " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT) return Status::ResourceExhausted(msg);
  return Status::Internal(msg);
}

// Each host stages into its own folder, so that a lock only ever has to hold between
// processes of one kernel.
std::string HostName() {
  char name[256] = {0};
  if (::gethostname(name, sizeof(name) - 1) != 0 || name[0] == 0) return "localhost";
  for (char* c = name; *c; ++c)
    if (*c == '/') *c = '_';
  return name;
}

// Deletes the files of `dir` (staging folders hold no subfolders); how many held data.
int RemoveFilesIn(const std::string& dir) {
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
  if (!d) return 0;
  int partial = 0;
  while (dirent* entry = ::readdir(d.get())) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    const std::string path = dir + "/" + name;
    struct stat st {};
    const bool empty = ::stat(path.c_str(), &st) == 0 && st.st_size == 0;
    if (::unlink(path.c_str()) == 0 && !empty) ++partial;
  }
  return partial;
}

}  // namespace

Result<std::unique_ptr<StagingDir>> StagingDir::Create(const std::string& staging_root) {
  const std::string host_dir = staging_root + "/" + HostName();
  std::error_code ec;
  std::filesystem::create_directories(host_dir, ec);
  if (ec) return IoError("create staging folder", ec.value());
  for (int attempt = 0;; ++attempt) {
    std::string name = host_dir + "/p-XXXXXX";
    if (::mkdtemp(name.data()) == nullptr) return IoError("create process staging folder", errno);
    const int fd = ::open(name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return IoError("open process staging folder", errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      // Another process starting at this moment took the still unlocked, empty folder
      // for an abandoned one; it removes it.
      ::close(fd);
      if (attempt == 3) return Status::Internal("lock process staging folder: always taken");
      continue;
    }
    // The same race, lost before our lock: the folder we hold may have been removed.
    struct stat held {
    }, named{};
    if (::fstat(fd, &held) == 0 && ::stat(name.c_str(), &named) == 0 &&
        held.st_ino == named.st_ino && held.st_dev == named.st_dev)
      return std::unique_ptr<StagingDir>(new StagingDir(host_dir, name, fd));
    ::close(fd);
    if (attempt == 3) return Status::Internal("process staging folder removed while created");
  }
}

StagingDir::~StagingDir() { ::close(lock_fd_); }

int StagingDir::CleanAbandoned() {
  int partial = RemoveFilesIn(path_);
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(host_dir_.c_str()), ::closedir);
  if (!d) return partial;
  while (dirent* entry = ::readdir(d.get())) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    const std::string path = host_dir_ + "/" + name;
    if (path == path_) continue;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) continue;
    if (!S_ISDIR(st.st_mode)) {
      const bool empty = st.st_size == 0;
      if (::unlink(path.c_str()) == 0 && !empty) ++partial;
      continue;
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) continue;
    // Taken: its process is gone. Refused: a live process receives into it.
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      partial += RemoveFilesIn(path);
      ::rmdir(path.c_str());
    }
    ::close(fd);
  }
  return partial;
}

}  // namespace telerad
