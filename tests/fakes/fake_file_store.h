// FakeFileStore: files as names only, for unit tests of ingest and the DICOM door.
#pragma once

#include <mutex>
#include <set>
#include <string>

#include "src/storage/file_store.h"

namespace telerad {

// Files as names only. `staging` holds the staged files neither committed nor
// discarded yet; `fail_commit` fails placement as a full disk would, leaving the staged
// file for its StagedFile to discard.
class FakeFileStore : public FileStore {
 public:
  bool Exists(const std::string& key) const override { return committed.count(key) > 0; }
  Status Remove(const std::string& key) override {
    std::lock_guard<std::mutex> lock(mu_);
    committed.erase(key);
    removed.insert(key);
    return Status::Ok();
  }
  std::string PathOf(const std::string& key) const override { return "/fake/" + key; }
  Status CheckWritable() override { return Status::Ok(); }
  int CleanStaging() override { return 0; }

  bool fail_commit = false;
  std::set<std::string> staging, committed, discarded, removed;

 private:
  Result<std::string> NewStagingPath() override {
    std::lock_guard<std::mutex> lock(mu_);
    std::string path = "staged-" + std::to_string(next_++);
    staging.insert(path);
    return path;
  }
  void StartWriteback(const std::string&) override {}
  Result<std::string> Commit(const std::string& staged, const std::string& key) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (fail_commit) return Status::ResourceExhausted("fake disk full");
    staging.erase(staged);
    std::string final_key = key;
    for (int n = 1; committed.count(final_key); ++n) final_key = key + "-" + std::to_string(n);
    committed.insert(final_key);
    return final_key;
  }
  void Discard(const std::string& staged) override {
    std::lock_guard<std::mutex> lock(mu_);
    staging.erase(staged);
    discarded.insert(staged);
  }

  std::mutex mu_;
  int next_ = 0;
};

}  // namespace telerad
