// RenameNoReplace: give a file a new name only if nothing has that name yet, atomically.
//
// Every placement in the store (staging -> landing -> final place, landing -> orphans)
// must never replace a file: the one already there may be what a committed index row
// names. Linux's renameat2(RENAME_NOREPLACE) does that in one step on local filesystems
// (ext4, xfs, btrfs, tmpfs), but NFS, and some FUSE and CIFS mounts, answer EINVAL: the
// flag is not supported there. Then the classic way is used: link(2) the new name, which
// fails with EEXIST if it is taken (atomic on NFS too, decided by the server), then
// unlink(2) the old one. A crash between the two leaves the file under both names, never
// under none; each caller's recovery already treats a second name as a redundant copy
// (the settler removes a landed file whose key is in place; staging is swept at start).
// NFS's non-idempotent LINK can answer EEXIST when a retransmitted request had in fact
// succeeded: the new name is then checked to be the same file (device and inode).
#pragma once

#include <string>

namespace telerad {

enum class RenameMethod {
  kAuto,        // renameat2 with RENAME_NOREPLACE; link and unlink where unsupported
  kLinkUnlink,  // link and unlink only (what kAuto falls back to; for tests)
};

// 0 on success, else the errno: EEXIST when `to` exists (nothing changed), ENOENT when
// `from` does not (or `to`'s folder is missing), others as rename(2) and link(2).
// Thread-safe. Once a filesystem refused the flag, this process asks with link first.
int RenameNoReplace(const std::string& from, const std::string& to,
                    RenameMethod method = RenameMethod::kAuto);

}  // namespace telerad
