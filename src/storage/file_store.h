// FileStore: where received DICOM files live, behind one interface so that tests can
// inject failures (a store that fails fsync) and an object store can be added later.
//
// The life of a file: Stage() hands out a StagedFile, which the DICOM door writes and
// which either lands itself in the landing folder (fsync, rename, directory fsync: the
// one device flush before Success), commits itself straight under its final key, or
// removes the staging file when it is dropped. A landed file is readable under its key
// at once (PathOf falls back to its landing name) and is moved into its final place by
// the settler (src/ingest/landing_settler.h) once its index row is durable. The staging primitives
// below are private: only StagedFile (and FileStoreWrapper, which forwards them) may call them, so
// nobody discards or commits a staging path by hand. Keys are relative paths built by
// StorageKeyFor() from validated UIDs only.
// Implementations are thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "src/base/status.h"
#include "src/storage/landing_name.h"
#include "src/storage/staged_file.h"

namespace telerad {

class FileStore {
 public:
  virtual ~FileStore() = default;

  // A new staging file nobody else uses, owned by the caller. kResourceExhausted /
  // kInternal on failure. REQUIRES: this store outlives the StagedFile.
  Result<StagedFile> Stage();

  // Whether a committed or landed file of this key exists.
  virtual bool Exists(const std::string& key) const = 0;

  // Removes a committed file (used when its index row could not be written).
  virtual Status Remove(const std::string& key) = 0;

  // The local path of a key, for readers (the DICOM door re-reads, the API serves): its
  // final place, or its landing name while it has not been settled.
  virtual std::string PathOf(const std::string& key) const = 0;

  // Landing: files made durable under a landing name (landing_name.h) before their index
  // row is. See src/ingest/landing_settler.h for who moves them on, and README,
  // "Durability".
  struct LandingEntry {
    std::string name;
    std::chrono::system_clock::time_point changed;  // when it landed (its ctime)
    uint64_t size_bytes = 0;
  };
  // The files in the landing folder now (one directory listing, never a walk of the
  // store). kInternal if it cannot be read.
  virtual Result<std::vector<LandingEntry>> ListLanding() = 0;
  // The local path of a landed file, for reading its header.
  virtual std::string LandingPathOf(const std::string& name) const = 0;
  // Renames a landed file to its final place `landed.key`. True once it is there (if a
  // file of that key is there already, a copy of the same instance, the landed copy is
  // removed instead); false when the landed file is gone (another settler moved it). Not
  // durable until SyncPlaced(); a rename lost in a crash leaves the file landed.
  // kInternal on I/O errors.
  virtual Result<bool> MoveIntoPlace(const LandedFile& landed) = 0;
  // Makes the renames of MoveIntoPlace durable: fsyncs the folder of each key once, then
  // the landing folder.
  virtual Status SyncPlaced(const std::vector<std::string>& keys) = 0;
  // Removes a landed file no index row names (a losing duplicate). OK if it is gone.
  virtual Status RemoveLanded(const std::string& name) = 0;
  // Moves a landed file that cannot be indexed to the orphans folder, durably, for an
  // operator to look at. False when it is gone (another settler moved it).
  virtual Result<bool> SetAside(const std::string& name) = 0;

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

  // Makes the staged file durable in the landing folder as `facility_id`'s copy of `key`
  // (fsync, rename never over an existing file, landing folder fsync), after making sure
  // the key's folder exists, so that moving it into place later is a rename only. Uses a
  // variant of `key` when a file of that key exists landed or in place. Returns the key
  // used. On OK the bytes and the landing name survive a crash or power loss. Errors as
  // Commit.
  virtual Result<std::string> Land(const std::string& staged_path, int64_t facility_id,
                                   const std::string& key) = 0;

  // Removes a staged file that will not be committed, if it is still there. Never fails.
  virtual void Discard(const std::string& staged_path) = 0;
};

// "<study>/<series>/<sop>.dcm". kInvalidArgument unless all three are valid UIDs
// (IsValidUid), so a key can never leave the storage root.
Result<std::string> StorageKeyFor(const std::string& study_uid, const std::string& series_uid,
                                  const std::string& sop_instance_uid);

}  // namespace telerad
