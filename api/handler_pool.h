// HandlerPool: the threads that run HTTP route handlers, so that Pistache's reactor
// threads only read, parse and hand over.
//
// Why: Pistache 0.0.5 runs a handler on the reactor thread that owns the connection, and
// gives a new connection to reactor `fd % threads` (pistache@0.0.5:src/server/
// listener.cc Listener::dispatchPeer). Descriptor numbers are not handed out evenly (each
// answered connection also holds ResponseSender's duplicate), so two busy connections
// often share one reactor while another idles, and every request on one waits for the
// other's database work: four ministry users asking for a year of KPI figures saw p99
// 240-320 ms where each answer took 30-50 ms (bench/README.md, "KPI"). Here any free
// worker takes any connection's request.
//
// Order: each connection has a Strand; its requests run one at a time, in the order they
// were submitted, so their answers reach ResponseSender (which keeps a connection's
// answers in order) in request order. Strands take turns: a worker runs one task of a
// strand, then the strand queues again behind the others.
//
// Bounds: at most `max_per_strand` tasks wait per connection (Submit refuses more: the
// caller drops the connection) and Busy() tells the caller when `max_waiting` tasks wait
// in all, so that a new request can be refused with 503 rather than queue for seconds.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace telerad::api {

class HandlerPool {
 public:
  struct Limits {
    int threads = 8;
    size_t max_waiting = 512;
    size_t max_per_strand = 16;
  };

  // One connection's queue of tasks.
  class Strand {
   private:
    friend class HandlerPool;
    std::deque<std::function<void()>> tasks_;  // guarded by the pool's mu_
    bool queued_or_running_ = false;
  };

  explicit HandlerPool(Limits limits);
  ~HandlerPool();  // Stop()
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  void Start();
  // Runs every task already submitted, then joins the threads. Submit after Stop runs
  // nothing and returns false.
  void Stop();

  // Queues `task` behind the strand's earlier tasks. False (and `task` dropped) when the
  // strand already has max_per_strand waiting or the pool is stopped.
  bool Submit(const std::shared_ptr<Strand>& strand, std::function<void()> task);
  // Whether max_waiting tasks or more wait (not counting those running).
  bool Busy() const;
  // Whether the strand has no task waiting or running: an answer given now, outside the
  // pool, cannot overtake one of its earlier answers.
  bool Idle(const Strand& strand) const;
  size_t waiting() const;

 private:
  void Run();

  const Limits limits_;
  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::shared_ptr<Strand>> runnable_;
  size_t waiting_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace telerad::api
