// AddressThrottle: failed logins counted per client address over a sliding window, so
// one machine guessing under many usernames (each below its own lockout) is slowed too.
//
// Counted in this process's memory: each server on a shared database counts its own
// failures, and a restart forgets them. The per-username lockout (UserRepository) is the
// durable, shared one; this bound is about CPU, not about secrecy. At most
// kMaxAddresses addresses are remembered; past that, addresses with no failure in the
// window are forgotten first, and if all are recent the table is emptied (an attacker
// with that many addresses resets the counts, but each login still waits for a hashing
// slot, see SodiumPasswordHasher). Time runs on Clock::Elapsed(). Thread-safe.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "src/base/clock.h"

namespace telerad {

class AddressThrottle {
 public:
  static constexpr size_t kMaxAddresses = 10000;

  // REQUIRES: `clock` outlives this object; max_failures >= 1.
  AddressThrottle(const Clock& clock, int max_failures, std::chrono::seconds window);

  // Whether `address` may try a login now: fewer than max_failures failures recorded for
  // it within the last `window`.
  bool Allows(const std::string& address);

  // Counts one failed login from `address` at Elapsed().
  void RecordFailure(const std::string& address);

 private:
  using Duration = std::chrono::steady_clock::duration;
  // Drops failures older than the window from `times`. REQUIRES: mu_ held.
  void Expire(std::deque<Duration>& times, Duration now) const;

  const Clock& clock_;
  const size_t max_failures_;
  const Duration window_;
  std::mutex mu_;
  // The most recent failures per address, oldest first, at most max_failures_ of them.
  std::unordered_map<std::string, std::deque<Duration>> failures_;  // GUARDED_BY(mu_)
};

}  // namespace telerad
