#include "src/storage/rename_no_replace.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace telerad {
namespace {

// Set when a filesystem answered that it does not support the flag: from then on this
// process links first (a store lives on one filesystem, so that is the common case).
std::atomic<bool> flag_unsupported{false};

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa {
  }, sb{};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

int LinkThenUnlink(const std::string& from, const std::string& to) {
  if (::link(from.c_str(), to.c_str()) != 0) {
    const int err = errno;
    // A retransmitted NFS LINK that had succeeded answers EEXIST: it is ours if the new
    // name is the very file being renamed.
    if (err != EEXIST || !SameFile(from, to)) return err;
  }
  // Both names now name the file; dropping the old one completes the rename. If that
  // fails the file is under both names, which every caller's recovery tolerates, but
  // the caller must hear it: its staging or landing bookkeeping would be wrong.
  if (::unlink(from.c_str()) != 0 && errno != ENOENT) return errno;
  return 0;
}

}  // namespace

int RenameNoReplace(const std::string& from, const std::string& to, RenameMethod method) {
  if (method == RenameMethod::kAuto && !flag_unsupported.load(std::memory_order_relaxed)) {
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
    const int err = errno;
    // EINVAL: the flag is not supported by this filesystem (NFS, some FUSE); ENOSYS: a
    // kernel without renameat2. Any other error is the answer.
    if (err != EINVAL && err != ENOSYS) return err;
    flag_unsupported.store(true, std::memory_order_relaxed);
  }
  return LinkThenUnlink(from, to);
}

}  // namespace telerad
