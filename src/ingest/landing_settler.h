// LandingSettler: moves landed files (FileStore, "Landing") into their final place once
// their index rows are durable, and re-indexes those whose rows are missing, so that an
// instance acknowledged after one device flush (its file's) is never lost.
//
// Why a file can be landed without a row: its index transaction commits without waiting
// for the WAL flush (IngestService), so a PostgreSQL crash may lose the row of an
// acknowledged instance; or telerad died between landing the file and its COMMIT. The
// landing name says which facility sent the file and which key its row names, so the
// file alone is enough to index it again, through IngestService::Reindex: the same rows,
// study states and KPI counters as live ingest. A file that cannot be indexed (not
// readable DICOM after all, a name that is not a landing name, an unknown facility, a
// clash with another study) is set aside in the orphans folder, logged and counted.
//
// One pass lists the landing folder (never a walk of the store), reads the rows of the
// listed instances and then makes every commit durable with one synchronous commit (so
// what it read survives a database crash), and for each file: a row naming it -> moved
// into place (one fsync per folder per pass); a row naming another file -> removed (a
// losing duplicate); no row -> re-indexed, unless it may still be in flight: held by an
// Ingest of this process, or (not at start-up) younger than `grace`, which covers
// another process's ingest sharing the store.
//
// Several processes may settle one store at once: renames are atomic, re-indexing is
// idempotent, and a file that vanished under a pass was settled by another. Thread-safe:
// passes of one settler run one at a time. Start() and Stop() from one owning thread.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>

#include "src/base/clock.h"
#include "src/base/periodic_thread.h"
#include "src/index/facility_repository.h"
#include "src/index/study_repository.h"
#include "src/ingest/ingest_service.h"
#include "src/ingest/instance_file_reader.h"
#include "src/storage/file_store.h"

namespace telerad {

// What one pass did, file by file.
struct SettleReport {
  int settled = 0;    // moved into place, their rows durable
  int reindexed = 0;  // of those, the rows this pass made again
  int orphaned = 0;   // set aside in the orphans folder
  int removed = 0;    // copies named by no row (a duplicate lost the race)
  int waiting = 0;    // left for a later pass (in flight, or the database or disk failed)
};

class LandingSettler {
 public:
  struct Options {
    std::chrono::milliseconds period{1000};  // between passes
    std::chrono::seconds grace{30};          // a file without a row is re-indexed after this
  };
  using ReportSink = std::function<void(const SettleReport&)>;

  // REQUIRES: every reference outlives this settler. `on_report` is called after each
  // pass that did something (for the metrics); may be empty.
  LandingSettler(FileStore& files, StudyRepository& studies, FacilityRepository& facilities,
                 IngestService& ingest, const InstanceFileReader& reader, const Clock& clock,
                 Options options, ReportSink on_report);

  // One pass now. `recovering`: at start-up, before the doors open, when nothing of this
  // process is in flight: no grace, every landed file is settled or set aside (another
  // process's file in flight is re-indexed, harmlessly: idempotent). Errors: kUnavailable
  // when the database is down, kInternal when the landing folder cannot be listed;
  // nothing is lost then, the next pass does it.
  Result<SettleReport> SettleOnce(bool recovering);

  void Start();
  // Wakes the thread and joins it. Idempotent.
  void Stop();

 private:
  void Tick();
  // Sets a file aside and counts it; `why` is logged (no patient data: a reason word).
  void Orphan(const std::string& name, const std::string& why, SettleReport& report);

  FileStore& files_;
  StudyRepository& studies_;
  FacilityRepository& facilities_;
  IngestService& ingest_;
  const InstanceFileReader& reader_;
  const Clock& clock_;
  const Options options_;
  const ReportSink on_report_;
  std::mutex pass_mu_;        // one pass at a time
  bool was_failing_ = false;  // used by the settle thread only: logs a failure once
  PeriodicThread thread_;     // last: its thread uses the members above
};

}  // namespace telerad
