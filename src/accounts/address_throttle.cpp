#include "src/accounts/address_throttle.h"

namespace telerad {

AddressThrottle::AddressThrottle(const Clock& clock, int max_failures, std::chrono::seconds window)
    : clock_(clock),
      max_failures_(static_cast<size_t>(max_failures)),
      window_(std::chrono::duration_cast<Duration>(window)) {}

void AddressThrottle::Expire(std::deque<Duration>& times, Duration now) const {
  while (!times.empty() && now - times.front() >= window_) times.pop_front();
}

bool AddressThrottle::Allows(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = failures_.find(address);
  if (it == failures_.end()) return true;
  Expire(it->second, clock_.Elapsed());
  if (it->second.empty()) {
    failures_.erase(it);
    return true;
  }
  return it->second.size() < max_failures_;
}

void AddressThrottle::RecordFailure(const std::string& address) {
  const Duration now = clock_.Elapsed();
  std::lock_guard<std::mutex> lock(mu_);
  if (failures_.size() >= kMaxAddresses && failures_.find(address) == failures_.end()) {
    for (auto it = failures_.begin(); it != failures_.end();) {
      Expire(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
    if (failures_.size() >= kMaxAddresses) failures_.clear();
  }
  std::deque<Duration>& times = failures_[address];
  Expire(times, now);
  times.push_back(now);
  // Only whether max_failures_ fall within the window matters: older ones never count
  // again once newer ones exist, so the deque stays bounded.
  if (times.size() > max_failures_) times.pop_front();
}

}  // namespace telerad
