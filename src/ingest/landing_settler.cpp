#include "src/ingest/landing_settler.h"

#include <map>
#include <string>
#include <vector>

#include "src/base/logging.h"

namespace telerad {
namespace {

// The database or the disk failed: the file stays landed and a later pass retries.
bool Transient(StatusCode code) {
  return code == StatusCode::kUnavailable || code == StatusCode::kInternal ||
         code == StatusCode::kResourceExhausted;
}

}  // namespace

LandingSettler::LandingSettler(FileStore& files, StudyRepository& studies,
                               FacilityRepository& facilities, IngestService& ingest,
                               const InstanceFileReader& reader, const Clock& clock,
                               Options options, ReportSink on_report)
    : files_(files),
      studies_(studies),
      facilities_(facilities),
      ingest_(ingest),
      reader_(reader),
      clock_(clock),
      options_(options),
      on_report_(std::move(on_report)),
      thread_(options.period, [this] { Tick(); }) {}

void LandingSettler::Start() { thread_.Start(); }

void LandingSettler::Stop() { thread_.Stop(); }

void LandingSettler::Orphan(const std::string& name, const std::string& why, SettleReport& report) {
  auto moved = files_.SetAside(name);
  if (!moved.ok()) {
    CoreLog().error("event=landed_file_not_set_aside reason=\"{}\"", moved.status().ToString());
    ++report.waiting;
    return;
  }
  if (!*moved) return;  // another settler set it aside (and reported it)
  ++report.orphaned;
  // The landing name carries UIDs: the file is found in the orphans folder, not in logs.
  auto landed = ParseLandingName(name);
  CoreLog().error("event=landed_file_set_aside folder=orphans facility_id={} reason=\"{}\"",
                  landed ? landed->facility_id : 0, why);
}

Result<SettleReport> LandingSettler::SettleOnce(bool recovering) {
  std::lock_guard<std::mutex> lock(pass_mu_);
  SettleReport report;
  auto listed = files_.ListLanding();
  if (!listed.ok()) return listed.status();
  if (listed->empty()) return report;

  struct Candidate {
    LandedFile landed;
    FileStore::LandingEntry entry;
    std::string sop;
  };
  std::vector<Candidate> candidates;
  std::vector<std::string> sops;
  for (FileStore::LandingEntry& entry : *listed) {
    auto landed = ParseLandingName(entry.name);
    if (!landed) {
      Orphan(entry.name, "not a landing name", report);
      continue;
    }
    std::string sop = SopInstanceUidOfKey(landed->key);
    // Its Ingest has not learnt its index outcome yet: that Ingest decides (and removes
    // the file if no row will name it).
    if (ingest_.InFlight(sop)) {
      ++report.waiting;
      continue;
    }
    sops.push_back(sop);
    candidates.push_back({std::move(*landed), std::move(entry), std::move(sop)});
  }

  // Read, then flush: a row read here was committed before the flush, so it is durable
  // once MakeCommitsDurable returns (reading after the flush could see a row committed
  // asynchronously in between, not yet durable, and settle its file on a row that a
  // crash may still take).
  auto rows =
      sops.empty()
          ? Result<std::map<std::string, StoredInstance>>(std::map<std::string, StoredInstance>())
          : studies_.FindInstances(sops);
  if (!rows.ok()) return rows.status();
  if (!candidates.empty())
    if (Status s = studies_.MakeCommitsDurable(); !s.ok()) return s;

  std::vector<const Candidate*> to_place, to_reindex;
  // A landed file the index does not name is removed: another file of the instance won.
  auto place_or_remove = [&](const Candidate& c, const StoredInstance& row) {
    if (row.storage_key == c.landed.key) {
      to_place.push_back(&c);
      return;
    }
    if (Status s = files_.RemoveLanded(c.landed.name); !s.ok()) {
      CoreLog().error("event=landed_file_not_removed reason=\"{}\"", s.ToString());
      ++report.waiting;
      return;
    }
    ++report.removed;
  };
  const TimePoint now = clock_.Now();
  for (const Candidate& c : candidates) {
    auto row = rows->find(c.sop);
    if (row != rows->end()) {
      place_or_remove(c, row->second);
    } else if (!recovering && now - c.entry.changed < options_.grace) {
      ++report.waiting;  // perhaps another process's ingest, not committed yet
    } else {
      to_reindex.push_back(&c);
    }
  }

  if (!to_reindex.empty()) {
    // The registry is small (a few hundred rows) and read once per pass that needs it.
    auto facilities = facilities_.List();
    if (!facilities.ok()) return facilities.status();
    std::map<int64_t, const Facility*> by_id;
    for (const Facility& f : *facilities) by_id[f.id] = &f;
    std::vector<const Candidate*> reindexed;
    for (const Candidate* c : to_reindex) {
      auto facility = by_id.find(c->landed.facility_id);
      if (facility == by_id.end()) {
        Orphan(c->landed.name, "unknown facility", report);
        continue;
      }
      // An inactive facility's acknowledged instance is still its instance: indexed.
      auto header = reader_.Describe(files_.LandingPathOf(c->landed.name));
      if (!header.ok()) {
        // kInternal: it could not be opened, most likely settled meanwhile by another
        // process; anything else: it is not DICOM this server can index.
        if (header.status().code() == StatusCode::kInternal) {
          ++report.waiting;
        } else {
          Orphan(c->landed.name, header.status().ToString(), report);
        }
        continue;
      }
      auto indexed = ingest_.Reindex(*facility->second, *header, c->landed, c->entry.size_bytes);
      if (indexed.ok()) {
        reindexed.push_back(c);
      } else if (Transient(indexed.status().code())) {
        ++report.waiting;
      } else {
        Orphan(c->landed.name, indexed.status().ToString(), report);
      }
    }
    if (!reindexed.empty()) {
      // The rows just made, read back (a duplicate may name another file) and made
      // durable before any file leaves landing.
      std::vector<std::string> again;
      for (const Candidate* c : reindexed) again.push_back(c->sop);
      auto now_rows = studies_.FindInstances(again);
      if (!now_rows.ok()) return now_rows.status();
      if (Status s = studies_.MakeCommitsDurable(); !s.ok()) return s;
      for (const Candidate* c : reindexed) {
        auto row = now_rows->find(c->sop);
        if (row == now_rows->end()) {
          ++report.waiting;  // removed meanwhile (a study deleted): looked at next pass
          continue;
        }
        const size_t before = to_place.size();
        place_or_remove(*c, row->second);
        if (to_place.size() > before) ++report.reindexed;
      }
    }
  }

  std::vector<std::string> placed_keys;
  for (const Candidate* c : to_place) {
    auto moved = files_.MoveIntoPlace(c->landed);
    if (!moved.ok()) {
      CoreLog().error("event=landed_file_not_settled reason=\"{}\"", moved.status().ToString());
      ++report.waiting;
      continue;
    }
    if (!*moved) continue;  // another settler moved it
    ++report.settled;
    placed_keys.push_back(c->landed.key);
  }
  if (!placed_keys.empty()) {
    // Until this returns a crash may undo the renames: the files are then landed again
    // and the next pass moves them once more.
    if (Status s = files_.SyncPlaced(placed_keys); !s.ok()) return s;
  }
  if (report.reindexed > 0)
    CoreLog().warn("event=landed_files_reindexed count={} recovering={}", report.reindexed,
                   recovering);
  if (on_report_ && (report.settled || report.orphaned || report.removed)) on_report_(report);
  return report;
}

void LandingSettler::Tick() {
  auto pass = SettleOnce(false);
  if (!pass.ok() && !was_failing_)
    CoreLog().warn("event=settle_failed reason=\"{}\"", pass.status().ToString());
  was_failing_ = !pass.ok();
}

}  // namespace telerad
