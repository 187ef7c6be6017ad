// Hand-written fakes of telerad's own interfaces, for unit tests of the services.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>

#include "src/facility_repository.h"
#include "src/file_store.h"
#include "src/study_repository.h"

namespace telerad {

// In-memory study index; `outage` makes every call kUnavailable.
class FakeStudyRepository : public StudyRepository {
 public:
  Result<bool> InstanceExists(const std::string& sop) override {
    if (outage) return Status::Unavailable("fake outage");
    return instances.count(sop) > 0;
  }
  Result<IndexOutcome> IndexInstance(const InstanceRecord& r,
                                     const std::function<Status()>& before_commit) override {
    if (outage) return Status::Unavailable("fake outage");
    Status ready = before_commit();
    if (!ready.ok()) return ready;
    bool fresh = instances.emplace(r.header.sop_instance_uid, r).second;
    return IndexOutcome{1, fresh};
  }
  Result<int> PromoteStableStudies(std::chrono::seconds, const SlaTargets&) override { return 0; }
  Result<StudyPage> ListStudies(const StudyQuery& q) override {
    last_query = q;
    return StudyPage{};
  }
  Result<std::optional<Study>> FindStudy(const std::string& uid) override {
    auto it = studies.find(uid);
    if (it == studies.end()) return std::optional<Study>();
    return std::optional<Study>(it->second);
  }
  Status Ping() override { return outage ? Status::Unavailable("fake outage") : Status::Ok(); }

  bool outage = false;
  std::map<std::string, InstanceRecord> instances;
  std::map<std::string, Study> studies;
  StudyQuery last_query;
};

class FakeFacilityRepository : public FacilityRepository {
 public:
  Result<std::optional<Facility>> FindByAeTitle(const std::string& ae) override {
    if (outage) return Status::Unavailable("fake outage");
    auto it = by_ae.find(ae);
    if (it == by_ae.end()) return std::optional<Facility>();
    return std::optional<Facility>(it->second);
  }
  Result<Facility> Upsert(const Facility& f) override {
    by_ae[f.ae_title] = f;
    return f;
  }
  bool outage = false;
  std::map<std::string, Facility> by_ae;
};

// Files as names only; `fail_commit` fails placement as a full disk would.
class FakeFileStore : public FileStore {
 public:
  Result<std::string> Stage() override { return "staged-" + std::to_string(next_++); }
  void StartWriteback(const std::string&) override {}
  Status Commit(const std::string& staged, const std::string& key) override {
    std::lock_guard<std::mutex> lock(mu_);
    staged_.erase(staged);
    if (fail_commit) return Status::ResourceExhausted("fake disk full");
    committed.insert(key);
    return Status::Ok();
  }
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
