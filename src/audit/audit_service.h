// AuditService: records who did what to which patient data, and lets admins read it.
// Thread-safe.
//
// A change's own entry does not pass through here: its repository inserts it in the
// change's transaction (src/pg/pg_audit_insert.h). Record takes everything else. Durable
// records (refused changes and logins, reads of the trail itself, what a command or the
// delivery worker could not commit with its change) are appended before Record returns.
// Reads (the bulk of the trail: every
// worklist page and study view) are queued and appended by a background writer in one
// transaction every kReadFlushInterval, without waiting for the WAL flush: a request
// then costs no database round trip for its audit entry, and what a crash can lose is
// the last fraction of a second of read records, as with an asynchronous commit.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "src/audit/audit_repository.h"
#include "src/base/clock.h"
#include "src/base/model.h"
#include "src/base/status.h"

namespace telerad {

class AuditService {
 public:
  static constexpr std::chrono::milliseconds kReadFlushInterval{100};
  // Past this many queued read records (the database is down) new ones are dropped and
  // counted in the log rather than growing without bound.
  static constexpr size_t kMaxQueuedReads = 100000;

  // REQUIRES: `audit` and `clock` outlive this service. Entries are stamped with
  // clock.Now() when recorded.
  AuditService(AuditRepository& audit, const Clock& clock) : audit_(audit), clock_(clock) {}
  ~AuditService();

  // Starts the background writer for read records; without it they are written at once.
  void Start();
  // Writes what is queued and joins the writer. Idempotent.
  void Stop();

  // Appends an entry (`durable`: written before returning; otherwise a read, queued when
  // the writer runs). A failure is logged: the trail must not turn a read
  // into an error, and the caller's request has already been answered.
  void Record(const AuditEntry& entry, bool durable);

  // Admins only (kPermissionDenied otherwise). kInvalidArgument for a limit outside
  // 1..500 or a bad cursor.
  Result<AuditPage> List(const Principal& who, const AuditQuery& query);

 private:
  void Loop();
  void Flush(std::vector<AuditEntry>& batch);

  AuditRepository& audit_;
  const Clock& clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<AuditEntry> queued_;  // GUARDED_BY(mu_)
  size_t dropped_ = 0;              // GUARDED_BY(mu_)
  bool running_ = false;            // GUARDED_BY(mu_)
  bool stopping_ = false;           // GUARDED_BY(mu_)
  std::thread writer_;
};

}  // namespace telerad
