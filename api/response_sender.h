// ResponseSender: writes every HTTP response without ever blocking or spinning a
// Pistache reactor thread.
//
// Pistache 0.0.5's own writer never leaves its loop once a write hits EAGAIN
// (pistache@0.0.5:src/common/transport.cc Transport::asyncWriteImpl): a response larger
// than the socket buffer to a slow client spins its reactor thread at 100 % and stalls
// every other connection on that thread. So telerad serialises responses itself
// (wire_response.h) and writes them here, on a duplicate of the peer's descriptor: the
// thread that answers (an HTTP worker) sends what the socket takes at once (non-blocking
// send/sendfile, up to kDirectBytes) and hands the rest to one sender thread with its own
// epoll, which finishes it as the socket drains. Per connection, responses leave in the order they
// were sent (a pipelined second response waits behind the first).
//
// Why a duplicate (OutgoingConnection): Pistache closes its descriptor when it drops the
// peer (transport.cc removePeer: client EOF, keep-alive timeout), and the number may then
// be reused by another connection while the sender thread still writes. The duplicate
// keeps the socket open until its last response is written (or aborted).
//
// What Pistache 0.0.5 itself does around a response (pistache@0.0.5:src/common/http.cc,
// src/server/endpoint.cc), and so what HttpServer must do instead:
// - A handler that returns without calling ResponseWriter::send(): the writer's
//   destructor only disarms its timer; nothing is written. The peer stays "not idle"
//   (Handler::onInput sets it so before the handler; only sendImpl sets it idle), so
//   TransportImpl::checkIdlePeers would write a 408 of its own into the connection
//   http_header_timeout later and drop it. HttpServer::Send therefore marks the peer idle.
// - Keep-alive: an idle peer is dropped without a write keepaliveTimeout (300 s) after
//   its last request was parsed, whether or not our answer is still being written; the
//   duplicate keeps the socket open until it is.
// - Connection: close: Pistache only echoes the header (and answers every request
//   without a Connection header, HTTP/1.1 included, with "Connection: close"), but never
//   closes the connection. Here HTTP/1.1 stays open unless the request says close,
//   HTTP/1.0 closes unless it says keep-alive, and a close is a shutdown of our write
//   side after the answer (WireResponse::close_after).
//
// Bounds: a connection on which nothing could be written for `send_timeout`, or less
// than `min_rate_bytes` per second over a window of `send_timeout`, is reset; at most
// `max_queued_responses` responses wait per connection (one more resets it); the bytes
// held in memory by waiting responses stay under `max_queued_bytes` (HttpServer answers
// 503 instead of queueing past it: Admits()).
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "api/wire_response.h"
#include "src/base/status.h"

namespace telerad::api {

class OutgoingConnection {
 public:
  // Duplicates `peer_fd`, which must be open (called on the peer's reactor thread).
  explicit OutgoingConnection(int peer_fd);
  ~OutgoingConnection();
  OutgoingConnection(const OutgoingConnection&) = delete;
  OutgoingConnection& operator=(const OutgoingConnection&) = delete;

  bool valid() const { return fd_ >= 0; }

 private:
  friend class ResponseSender;
  struct Queued {
    WireResponse response;
    size_t reserved = 0;  // memory bytes counted in the sender's total
  };
  using Clock = std::chrono::steady_clock;

  const int fd_;
  std::mutex mutex_;
  std::deque<Queued> queue_;  // waiting for the sender thread, oldest first
  bool watched_ = false;      // in the sender thread's epoll (queue_ not empty)
  bool shut_ = false;         // closed after a response, or reset: later ones are dropped
  Clock::time_point last_progress_;
  Clock::time_point window_start_;
  size_t window_bytes_ = 0;
};

class ResponseSender {
 public:
  struct Limits {
    std::chrono::seconds send_timeout{60};
    size_t min_rate_bytes = 1024;  // per second, averaged over send_timeout
    size_t max_queued_bytes = size_t{256} << 20;
    size_t max_queued_responses = 64;
  };
  // Bytes the reactor thread writes itself before handing a response over.
  static constexpr size_t kDirectBytes = size_t{1} << 20;
  // Bytes the sender thread writes to one connection before turning to the next.
  static constexpr size_t kTurnBytes = size_t{4} << 20;

  explicit ResponseSender(Limits limits);
  ~ResponseSender();  // Stop()
  ResponseSender(const ResponseSender&) = delete;
  ResponseSender& operator=(const ResponseSender&) = delete;

  Status Start();
  // Stops the thread; responses still waiting are dropped and their connections reset.
  void Stop();

  // Whether `memory_bytes` more may wait without passing max_queued_bytes. Checked
  // before a response is sent; concurrent reactor threads may overshoot by one response
  // each.
  bool Admits(size_t memory_bytes) const;
  // Writes `response` on `connection` after every response sent on it before; never
  // blocks. Safe from any thread.
  void Send(const std::shared_ptr<OutgoingConnection>& connection, WireResponse response);

  // Resets the connection (the client sees a reset, not an answer) and drops what waits
  // on it. Safe from any thread.
  void Reset(const std::shared_ptr<OutgoingConnection>& connection, const char* reason);

  size_t queued_bytes() const { return queued_bytes_; }
  size_t waiting_connections() const;

 private:
  enum class Progress { kDone, kBlocked, kBudgetSpent, kFailed };
  using Clock = OutgoingConnection::Clock;

  // Writes what the socket takes, at most `budget` bytes. REQUIRES: connection locked.
  Progress WriteSome(OutgoingConnection& connection, WireResponse& response, size_t budget);
  // Writes queued responses in order. REQUIRES: connection locked.
  void DrainLocked(OutgoingConnection& connection);
  // After a response is fully written. REQUIRES: connection locked.
  void Finished(OutgoingConnection& connection, const WireResponse& response);
  // Resets the connection and drops its queue. REQUIRES: connection locked.
  void Abort(OutgoingConnection& connection, const char* reason);
  void Watch(const std::shared_ptr<OutgoingConnection>& connection);
  // REQUIRES: connection locked.
  void Unwatch(OutgoingConnection& connection);
  void Release(OutgoingConnection& connection);
  void CheckDeadlines();
  void Run();

  const Limits limits_;
  std::atomic<size_t> queued_bytes_{0};
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex watched_mutex_;
  std::map<const OutgoingConnection*, std::shared_ptr<OutgoingConnection>> watched_;
};

}  // namespace telerad::api
