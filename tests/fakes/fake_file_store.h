// FakeFileStore: files as names only, for unit tests of ingest and the DICOM door.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "src/storage/file_store.h"

namespace telerad {

// Files as names only. `staging` holds the staged files neither committed nor
// discarded yet; `fail_commit` fails placement (commit or landing) as a full disk would,
// leaving the staged file for its StagedFile to discard. A landed file is in `committed`
// under its key (readable, as DiskFileStore's PathOf makes it) and in `landing` by its
// landing name until it is moved into place, removed or set aside (`orphans`).
class FakeFileStore : public FileStore {
 public:
  bool Exists(const std::string& key) const override { return committed.count(key) > 0; }
  Result<std::vector<LandingEntry>> ListLanding() override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<LandingEntry> out;
    for (const auto& [name, entry] : landing) out.push_back(entry);
    return out;
  }
  std::string LandingPathOf(const std::string& name) const override {
    return "/fake/landing/" + name;
  }
  Result<bool> MoveIntoPlace(const LandedFile& landed) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (landing.erase(landed.name) == 0) return false;
    placed.push_back(landed.key);
    return true;
  }
  Status SyncPlaced(const std::vector<std::string>& keys) override {
    synced_batches.push_back(keys.size());
    return Status::Ok();
  }
  Status RemoveLanded(const std::string& name) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto landed = ParseLandingName(name);
    if (landing.erase(name) == 0 || !landed) return Status::Ok();
    committed.erase(landed->key);
    removed.insert(landed->key);
    return Status::Ok();
  }
  Result<bool> SetAside(const std::string& name) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (landing.erase(name) == 0) return false;
    if (auto landed = ParseLandingName(name)) committed.erase(landed->key);
    orphans.insert(name);
    return true;
  }
  // Puts a file in landing as if an earlier process had landed it `age` ago.
  void AddLanded(const std::string& name, std::chrono::seconds age, uint64_t size = 100) {
    std::lock_guard<std::mutex> lock(mu_);
    landing[name] = LandingEntry{name, std::chrono::system_clock::now() - age, size};
    if (auto landed = ParseLandingName(name)) committed.insert(landed->key);
  }

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
  std::set<std::string> staging, committed, discarded, removed, orphans;
  std::map<std::string, LandingEntry> landing;  // by landing name
  std::vector<std::string> placed;              // keys moved into place, in order
  std::vector<size_t> synced_batches;           // SyncPlaced calls: keys per call

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
  Result<std::string> Land(const std::string& staged, int64_t facility_id,
                           const std::string& key) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (fail_commit) return Status::ResourceExhausted("fake disk full");
    staging.erase(staged);
    std::string final_key = key;
    for (int n = 1; committed.count(final_key); ++n)
      final_key = key.substr(0, key.size() - 4) + "-1-" + std::to_string(n) + ".dcm";
    committed.insert(final_key);
    const std::string name = LandingNameFor(facility_id, final_key);
    landing[name] = LandingEntry{name, std::chrono::system_clock::now(), 100};
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
