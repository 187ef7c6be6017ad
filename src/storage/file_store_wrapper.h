// FileStoreWrapper: a FileStore that forwards every call to another one, so that a
// subclass can override a single call: a test fails a commit or an fsync on a real disk
// store (LevelDB's EnvWrapper and SpecialEnv). Thread-safe if the target is.
// REQUIRES: the target outlives the wrapper.
#pragma once

#include <string>

#include "src/storage/file_store.h"

namespace telerad {

class FileStoreWrapper : public FileStore {
 public:
  explicit FileStoreWrapper(FileStore& target) : target_(target) {}

  bool Exists(const std::string& key) const override { return target_.Exists(key); }
  Status Remove(const std::string& key) override { return target_.Remove(key); }
  std::string PathOf(const std::string& key) const override { return target_.PathOf(key); }
  Status CheckWritable() override { return target_.CheckWritable(); }
  int CleanStaging() override { return target_.CleanStaging(); }
  Result<std::vector<LandingEntry>> ListLanding() override { return target_.ListLanding(); }
  std::string LandingPathOf(const std::string& name) const override {
    return target_.LandingPathOf(name);
  }
  Result<bool> MoveIntoPlace(const LandedFile& landed) override {
    return target_.MoveIntoPlace(landed);
  }
  Status SyncPlaced(const std::vector<std::string>& keys) override {
    return target_.SyncPlaced(keys);
  }
  Status RemoveLanded(const std::string& name) override { return target_.RemoveLanded(name); }
  Result<bool> SetAside(const std::string& name) override { return target_.SetAside(name); }

 protected:
  Result<std::string> NewStagingPath() override { return target_.NewStagingPath(); }
  void StartWriteback(const std::string& staged_path) override {
    target_.StartWriteback(staged_path);
  }
  Result<std::string> Commit(const std::string& staged_path, const std::string& key) override {
    return target_.Commit(staged_path, key);
  }
  Result<std::string> Land(const std::string& staged_path, int64_t facility_id,
                           const std::string& key) override {
    return target_.Land(staged_path, facility_id, key);
  }
  void Discard(const std::string& staged_path) override { target_.Discard(staged_path); }

 private:
  FileStore& target_;
};

}  // namespace telerad
