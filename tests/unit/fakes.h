// Hand-written fakes of telerad's own interfaces, for unit tests of the services. The
// repository fakes live one per file in tests/fakes/ (the contract suites in
// tests/contract/ hold them to the PostgreSQL repositories' behaviour); the file store's
// fake is here.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>

#include "src/storage/file_store.h"
#include "tests/fakes/fake_consultation_repository.h"
#include "tests/fakes/fake_facility_repository.h"
#include "tests/fakes/fake_kpi_repository.h"
#include "tests/fakes/fake_report_repository.h"
#include "tests/fakes/fake_study_repository.h"

namespace telerad {

// Files as names only; `fail_commit` fails placement as a full disk would.
class FakeFileStore : public FileStore {
 public:
  Result<std::string> Stage() override { return "staged-" + std::to_string(next_++); }
  void StartWriteback(const std::string&) override {}
  Result<std::string> Commit(const std::string& staged, const std::string& key) override {
    std::lock_guard<std::mutex> lock(mu_);
    staged_.erase(staged);
    if (fail_commit) return Status::ResourceExhausted("fake disk full");
    std::string final_key = key;
    for (int n = 1; committed.count(final_key); ++n) final_key = key + "-" + std::to_string(n);
    committed.insert(final_key);
    return final_key;
  }
  bool Exists(const std::string& key) const override { return committed.count(key) > 0; }
  void Discard(const std::string& staged) override {
    std::lock_guard<std::mutex> lock(mu_);
    discarded.insert(staged);
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
  std::set<std::string> committed, discarded, removed;

 private:
  std::mutex mu_;
  std::set<std::string> staged_;
  int next_ = 0;
};

}  // namespace telerad
