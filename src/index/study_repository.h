// StudyRepository: the study index (studies, series, instances) as the services see it.
// Implementations: PgStudyRepository (PostgreSQL), FakeStudyRepository (tests).
// Thread-safe. Every method may fail with kUnavailable when the database is down.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "src/base/audit_entry.h"
#include "src/base/model.h"
#include "src/base/status.h"

namespace telerad {

// How long a ready study may wait before its SLA is breached, per priority.
struct SlaTargets {
  std::chrono::seconds stat{3600};
  std::chrono::seconds urgent{4 * 3600};
  std::chrono::seconds routine{24 * 3600};
};

// What the index holds for an instance already stored.
struct StoredInstance {
  int64_t facility_id = 0;
  std::string study_uid;
  std::string series_uid;
  std::string storage_key;
};

// Called inside the index transaction before COMMIT: makes the file durable and returns
// the key it finally got (or an error, which rolls the transaction back).
using MakeFileDurable = std::function<Result<std::string>()>;

// What a claim attempt found. `claimed` false with `found` true means another user
// holds the study (`holder`) or the study is not in a claimable state (`status`).
struct ClaimOutcome {
  bool found = false;
  bool claimed = false;
  StudyStatus status = StudyStatus::kReceiving;
  std::optional<std::string> holder;
  std::optional<TimePoint> expires_at;
};

struct IndexOutcome {
  int64_t study_id = 0;
  bool new_instance = false;  // false: the SOP Instance UID was already indexed
};

// A worklist or inbox query. Unset fields do not filter.
struct StudyQuery {
  std::optional<StudyStatus> status;
  std::optional<ModalityClass> modality_class;
  std::optional<Priority> priority;
  std::optional<std::string> facility_code;
  std::optional<std::string> aimag;    // the facility's aimag (facility.aimag), exact
  std::optional<int64_t> facility_id;  // scoping for facility users; also selects the inbox order
  std::optional<TimePoint> received_from;
  std::optional<TimePoint> received_to;
  int limit = 50;
  std::optional<std::string> cursor;  // opaque, from a previous page
};

struct StudyPage {
  std::vector<Study> items;
  std::optional<std::string> next_cursor;
};

class StudyRepository {
 public:
  virtual ~StudyRepository() = default;

  // The indexed instance with this SOP Instance UID, or nullopt.
  virtual Result<std::optional<StoredInstance>> FindInstance(
      const std::string& sop_instance_uid) = 0;

  // The indexed instances among `sop_instance_uids`, by SOP Instance UID (absent ones
  // are left out). For the landing settler: one round trip for a batch.
  virtual Result<std::map<std::string, StoredInstance>> FindInstances(
      const std::vector<std::string>& sop_instance_uids) = 0;

  // Makes every transaction committed before this call durable (IndexInstance commits
  // without waiting for its WAL flush): on OK, what any earlier read saw committed
  // survives a database crash.
  virtual Status MakeCommitsDurable() = 0;

  // Upserts study and series and inserts the instance, all in one transaction.
  // `make_durable` runs after the rows are written and before COMMIT (the caller
  // finishes making the file durable there); its key replaces record.storage_key in the
  // new row, and an error rolls everything back and is returned. It may run more than
  // once if the transaction is retried, so it must return the same answer each time.
  // A repeated SOP Instance UID in the same series changes nothing and returns
  // new_instance = false. kConflict, with nothing written and `make_durable` not run,
  // when the study or series UID already belongs to another facility/study, or the SOP
  // Instance UID to another series (decided by the unique UID inside the transaction,
  // so of two senders racing on one UID under different studies exactly one succeeds).
  // The COMMIT does not wait for the database's own flush: an OK row may still be lost
  // with a database crash until MakeCommitsDurable() (the file, made durable first under
  // a name that says what it is, is what recovery re-indexes it from).
  virtual Result<IndexOutcome> IndexInstance(const InstanceRecord& record,
                                             const MakeFileDurable& make_durable) = 0;

  // Points an indexed instance at a new file (its old one was lost). kNotFound if the
  // instance is not indexed.
  virtual Status SetStorageKey(const std::string& sop_instance_uid, const std::string& key) = 0;

  // Moves every `receiving` study without a new instance for `quiet` to `ready`,
  // setting ready_at and its SLA deadline. Returns how many moved: 0 also when another
  // process is running this sweep at the same moment (it moves them).
  virtual Result<int> PromoteStableStudies(std::chrono::seconds quiet, const SlaTargets& sla) = 0;

  // Studies matching `query`, most urgent first, then by SLA deadline, then id. A
  // facility's inbox (facility_id set) puts studies with an unacknowledged critical
  // finding (critical_pending) before all others, then the same order. kInvalidArgument
  // for a cursor this repository did not issue for that order.
  virtual Result<StudyPage> ListStudies(const StudyQuery& query) = 0;

  // Takes (or renews) `user_id`'s lease on a ready study, or on one whose lease expired
  // or is already the user's, in one guarded UPDATE: of concurrent claimers on any
  // number of servers exactly one wins.
  //
  // Every write below that changes the study appends `audit` to the trail in the same
  // transaction, and sets its id; a failed append rolls the change back (an error).
  // Nothing changed (not claimed, false): nothing appended.
  virtual Result<ClaimOutcome> Claim(const std::string& study_uid, int64_t user_id,
                                     std::chrono::seconds lease, AuditEntry& audit) = 0;

  // Returns a study claimed by `user_id` to `ready`; false if the user holds no claim on it.
  virtual Result<bool> Release(const std::string& study_uid, int64_t user_id,
                               AuditEntry& audit) = 0;

  // Sets the priority and/or clinical information of a study not yet reported (or
  // cancelled); a new priority moves a ready study's SLA deadline to ready_at + its
  // target. Returns false when the study is reported or cancelled. kNotFound if absent.
  virtual Result<bool> UpdateOrder(const std::string& study_uid, std::optional<Priority> priority,
                                   const std::optional<std::string>& clinical_info,
                                   const SlaTargets& sla, AuditEntry& audit) = 0;

  // Returns every claimed study whose lease ran out to `ready`; how many (0 also when
  // another process is running this sweep at the same moment).
  virtual Result<int> ExpireClaims() = 0;

  // One study with its series, or nullopt.
  virtual Result<std::optional<Study>> FindStudy(const std::string& study_uid) = 0;

  // OK when the database answers a trivial query (for /readyz).
  virtual Status Ping() = 0;
};

}  // namespace telerad
