#include "api/handler_pool.h"

#include <utility>

#include "src/base/logging.h"

namespace telerad::api {

HandlerPool::HandlerPool(Limits limits) : limits_(limits) {}

HandlerPool::~HandlerPool() { Stop(); }

void HandlerPool::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!threads_.empty()) return;
  stopping_ = false;
  for (int i = 0; i < limits_.threads; ++i) threads_.emplace_back([this] { Run(); });
}

void HandlerPool::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  ready_.notify_all();
  for (std::thread& t : threads) t.join();
}

bool HandlerPool::Submit(const std::shared_ptr<Strand>& strand, std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || threads_.empty() || strand->tasks_.size() >= limits_.max_per_strand)
      return false;
    strand->tasks_.push_back(std::move(task));
    ++waiting_;
    if (strand->queued_or_running_) return true;  // its worker comes back for it
    strand->queued_or_running_ = true;
    runnable_.push_back(strand);
  }
  ready_.notify_one();
  return true;
}

bool HandlerPool::Busy() const {
  std::lock_guard<std::mutex> lock(mu_);
  return waiting_ >= limits_.max_waiting;
}

bool HandlerPool::Idle(const Strand& strand) const {
  std::lock_guard<std::mutex> lock(mu_);
  return !strand.queued_or_running_;
}

size_t HandlerPool::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return waiting_;
}

void HandlerPool::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    // Stopping, the workers still empty the queue: every request Pistache handed over
    // gets its answer (or its connection's end).
    ready_.wait(lock, [this] { return stopping_ || !runnable_.empty(); });
    if (runnable_.empty()) return;
    std::shared_ptr<Strand> strand = std::move(runnable_.front());
    runnable_.pop_front();
    std::function<void()> task = std::move(strand->tasks_.front());
    strand->tasks_.pop_front();
    --waiting_;
    lock.unlock();
    try {
      task();
    } catch (const std::exception& e) {  // handlers catch their own; this is the last net
      ApiLog().error("event=http_task_exception reason=\"{}\"", e.what());
    }
    task = nullptr;  // what it held (the request, its body) goes before the next one
    lock.lock();
    if (strand->tasks_.empty()) {
      strand->queued_or_running_ = false;
    } else {
      runnable_.push_back(std::move(strand));  // its next request, after the others' turn
      ready_.notify_one();
    }
  }
}

}  // namespace telerad::api
