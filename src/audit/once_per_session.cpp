#include "src/audit/once_per_session.h"

#include <functional>

namespace telerad {

OncePerSession::OncePerSession(const Clock& clock, std::chrono::seconds lifetime, size_t capacity)
    : clock_(clock), lifetime_(lifetime), capacity_(capacity < 1 ? 1 : capacity) {}

size_t OncePerSession::KeyHash::operator()(const Key& k) const {
  const size_t a = std::hash<std::string>()(k.first);
  return a ^ (std::hash<std::string>()(k.second) + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
}

bool OncePerSession::FirstAccess(const std::string& session, const std::string& object) {
  const auto now = clock_.Elapsed();
  std::lock_guard<std::mutex> lock(mu_);
  Key key(session, object);
  auto found = index_.find(key);
  if (found != index_.end()) {
    if (now - found->second->recorded_at < lifetime_) {
      // Used again: the last to be forgotten for want of room (its age stays).
      recent_.splice(recent_.begin(), recent_, found->second);
      return false;
    }
    recent_.erase(found->second);  // older than a session lives: record it again
    index_.erase(found);
  }
  recent_.push_front(Entry{key, now});
  index_.emplace(std::move(key), recent_.begin());
  while (index_.size() > capacity_) {
    index_.erase(recent_.back().key);
    recent_.pop_back();
  }
  DropExpiredTail(now);
  return true;
}

// Pairs of expired sessions at the least recently used end go at once, so an idle
// server's memory shrinks with its sessions; an expired pair elsewhere goes when it is
// looked up or pushed out.
void OncePerSession::DropExpiredTail(std::chrono::steady_clock::duration now) {
  while (!recent_.empty() && now - recent_.back().recorded_at >= lifetime_) {
    index_.erase(recent_.back().key);
    recent_.pop_back();
  }
}

size_t OncePerSession::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return index_.size();
}

}  // namespace telerad
