// StagedFile: one received DICOM file on its way into the store, owned by whoever holds
// this object. FileStore::Stage() makes one; the holder writes the file at path(), then
// either calls Commit(), which makes it durable under its final key, or lets the object
// go, which removes the staging file. So no error path has to remember to clean up, and
// a file is never both placed and discarded.
//
// Move-only: exactly one object owns a staged file at a time; a moved-from object owns
// nothing and its destructor does nothing. Not thread-safe: one thread at a time may use
// an object, but it may be moved to another thread (IngestService commits on a helper
// thread). The FileStore that made it must outlive it.
#pragma once

#include <string>

#include "src/base/status.h"
#include "src/storage/landing_name.h"

namespace telerad {

class FileStore;

class StagedFile {
 public:
  // Owns nothing: the state of a moved-from object.
  StagedFile() = default;
  // Removes the staging file unless it was committed or moved away.
  ~StagedFile();

  StagedFile(StagedFile&& other) noexcept;
  // Removes the file this object owned, if any, then takes over `other`'s.
  StagedFile& operator=(StagedFile&& other) noexcept;
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

  // Whether this object still owns a staging file.
  bool owned() const { return store_ != nullptr; }
  // Where to write the data. REQUIRES: owned().
  const std::string& path() const { return path_; }

  // Asks the OS to start writing the dirty pages now, so that Commit() waits only for the
  // tail. A hint: never fails, may do nothing. REQUIRES: owned().
  void StartWriteback() const;

  // Makes the file durable under `key` (fsync, rename never over an existing file,
  // directory fsync; FileStore documents the details) and returns the key used, which
  // differs from `key` when a file of that key exists already. On OK the bytes and the
  // name survive a crash or power loss. On error (kResourceExhausted when the disk is
  // full, kInternal for other I/O errors) the staging file is removed. Either way this
  // object owns nothing afterwards. REQUIRES: owned().
  Result<std::string> Commit(const std::string& key);

  // Makes the file durable in the store's landing folder as `facility_id`'s copy of `key`
  // (FileStore::Land) and returns what landed, whose key differs from `key` when a file
  // of that key exists. On OK the bytes and the name survive a crash or power loss; on
  // error the staging file is removed, as for Commit. Either way this object owns
  // nothing afterwards. REQUIRES: owned().
  Result<LandedFile> Land(int64_t facility_id, const std::string& key);

 private:
  friend class FileStore;
  StagedFile(FileStore& store, std::string path) : store_(&store), path_(std::move(path)) {}
  void Discard();

  FileStore* store_ = nullptr;  // null when nothing is owned
  std::string path_;
};

}  // namespace telerad
