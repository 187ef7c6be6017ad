// FileStore: where received DICOM files live, behind one interface so that tests can
// inject failures (a store that fails fsync) and an object store can be added later.
//
// The life of a file: Stage() hands out a StagedFile, which the DICOM door writes and
// which either commits itself under its final key (fsync, rename, directory fsync) or
// removes the staging file when it is dropped. The staging primitives below are private:
// only StagedFile (and FileStoreWrapper, which forwards them) may call them, so nobody
// discards or commits a staging path by hand. Keys are relative paths built by
// StorageKeyFor() from validated UIDs only.
// Implementations are thread-safe.
#pragma once

#include <string>

#include "src/base/status.h"
#include "src/storage/staged_file.h"

namespace telerad {

class FileStore {
 public:
  virtual ~FileStore() = default;

  // A new staging file nobody else uses, owned by the caller. kResourceExhausted /
  // kInternal on failure. REQUIRES: this store outlives the StagedFile.
  Result<StagedFile> Stage();

  // Whether a committed file of this key exists.
  virtual bool Exists(const std::string& key) const = 0;

  // Removes a committed file (used when its index row could not be written).
  virtual Status Remove(const std::string& key) = 0;

  // The local path of a key, for readers (the DICOM door re-reads, the API serves).
  virtual std::string PathOf(const std::string& key) const = 0;

  // OK when a file can be created and synced right now (for /readyz).
  virtual Status CheckWritable() = 0;

  // Deletes staging files left by a previous process (crash, kill -9); returns how many
  // held data (partly received instances).
  // REQUIRES: no Stage() in flight in this process.
  virtual int CleanStaging() = 0;

 private:
  friend class StagedFile;
  friend class FileStoreWrapper;

  // A new staging path nobody else uses. kResourceExhausted / kInternal on failure.
  virtual Result<std::string> NewStagingPath() = 0;

  // StagedFile::StartWriteback: a hint, never fails, may do nothing.
  virtual void StartWriteback(const std::string& staged_path) = 0;

  // Makes the staged file durable under `key`, or, if a file of that key exists (a
  // concurrent attempt at the same instance, or a crash leftover), under a variant of it
  // that no other call gets: an existing file is never replaced. Returns the key used.
  // On OK the bytes and the name survive a crash or power loss. kResourceExhausted when
  // the disk is full, kInternal for other I/O errors; the staged file may then still be
  // there (StagedFile discards it).
  virtual Result<std::string> Commit(const std::string& staged_path, const std::string& key) = 0;

  // Removes a staged file that will not be committed, if it is still there. Never fails.
  virtual void Discard(const std::string& staged_path) = 0;
};

// "<study>/<series>/<sop>.dcm". kInvalidArgument unless all three are valid UIDs
// (IsValidUid), so a key can never leave the storage root.
Result<std::string> StorageKeyFor(const std::string& study_uid, const std::string& series_uid,
                                  const std::string& sop_instance_uid);

}  // namespace telerad
