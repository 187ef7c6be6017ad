#include "src/base/periodic_thread.h"

namespace telerad {

void PeriodicThread::Start() {
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
      lock.unlock();
      task_();
      lock.lock();
      cv_.wait_for(lock, period_, [this] { return stopping_.load(); });
    }
  });
}

void PeriodicThread::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace telerad
