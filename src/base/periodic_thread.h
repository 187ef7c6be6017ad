// PeriodicThread: runs a task on its own thread every `period` until stopped; the
// background workers (stability sweep, report delivery) are each one task on one.
// Start() and Stop() must be called from one owning thread; Stopping() from any.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace telerad {

class PeriodicThread {
 public:
  PeriodicThread(std::chrono::milliseconds period, std::function<void()> task)
      : period_(period), task_(std::move(task)) {}
  ~PeriodicThread() { Stop(); }
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  // Runs the task at once, then after each period.
  void Start();
  // Wakes the thread and joins it; a task in progress finishes first. Idempotent.
  void Stop();
  // True once Stop() was called: a long task checks it to finish early.
  bool Stopping() const { return stopping_.load(); }

 private:
  const std::chrono::milliseconds period_;
  const std::function<void()> task_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace telerad
