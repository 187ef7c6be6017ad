#include "src/storage/staging_pool.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>

namespace telerad {

StagingPool::StagingPool(std::string dir, uint64_t ahead)
    : dir_(std::move(dir)),
      // The monotonic clock's count is a nonce here, not a time: with the pid it keeps
      // this pool's names apart from any other pool's, in this process or in an earlier
      // one that had the same pid and whose files may still be there. No service logic
      // reads it, so it does not go through Clock.
      prefix_(std::to_string(::getpid()) + "-" +
              std::to_string(std::chrono::steady_clock::now().time_since_epoch().count())),
      ahead_(ahead) {}

StagingPool::~StagingPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string StagingPool::PathOf(uint64_t n) const {
  return dir_ + "/" + prefix_ + "-" + std::to_string(n) + ".part";
}

std::string StagingPool::Next() {
  std::call_once(started_, [this] { thread_ = std::thread([this] { Prepare(); }); });
  const uint64_t n = next_.fetch_add(1);
  if (created_.load() <= n + ahead_ / 2) wake_.notify_one();
  return PathOf(n);
}

void StagingPool::Prepare() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    while (created_.load() < next_.load() + ahead_) {
      // Never create a number already handed out: its owner creates it, and may have
      // renamed it away already.
      uint64_t n = std::max(created_.load(), next_.load());
      int fd = ::open(PathOf(n).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
      if (fd < 0) break;  // full disk or the like: callers create their own files
      ::close(fd);
      created_.store(n + 1);
    }
    lock.lock();
    if (stopping_) break;  // set while the lock was free: its notify is already gone
    wake_.wait_for(lock, std::chrono::milliseconds(200));
  }
}

}  // namespace telerad
