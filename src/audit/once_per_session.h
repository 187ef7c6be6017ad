// OncePerSession: which (session, object) pairs have already been recorded in the audit
// trail, so that a viewer opening a 500-slice CT writes one `study.images` row per user,
// study and session instead of one per frame or metadata request.
//
// Keys are whatever the caller passes; the HTTP door passes the session's token digest
// (never the token) and the study UID. Memory is bounded twice: at most `capacity` pairs
// (the least recently used forgotten first) and none older than `lifetime` (the session
// lifetime: a pair of an expired session is dead weight). Forgetting a pair costs one
// more row, never a lost one; so does a restart (the memory is not persisted).
// Thread-safe.
#pragma once

#include <chrono>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "src/base/clock.h"

namespace telerad {

class OncePerSession {
 public:
  static constexpr size_t kDefaultCapacity = 100000;

  // REQUIRES: `clock` outlives this object; capacity >= 1. Ages run on clock.Elapsed().
  OncePerSession(const Clock& clock, std::chrono::seconds lifetime,
                 size_t capacity = kDefaultCapacity);

  // True the first time `session` reaches `object` (the caller then records it), false
  // for a repeat within `lifetime`. Marks the pair as recorded: of two concurrent first
  // accesses exactly one gets true.
  bool FirstAccess(const std::string& session, const std::string& object);

  size_t size() const;

 private:
  using Key = std::pair<std::string, std::string>;
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };
  struct Entry {
    Key key;
    std::chrono::steady_clock::duration recorded_at;
  };
  void DropExpiredTail(std::chrono::steady_clock::duration now);  // REQUIRES: mu_ held

  const Clock& clock_;
  const std::chrono::steady_clock::duration lifetime_;
  const size_t capacity_;
  mutable std::mutex mu_;
  std::list<Entry> recent_;                                             // most recent first
  std::unordered_map<Key, std::list<Entry>::iterator, KeyHash> index_;  // GUARDED_BY(mu_)
};

}  // namespace telerad
