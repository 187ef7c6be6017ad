// PendingConnections: TCP connections accepted but not yet associations, each waiting
// for its whole A-ASSOCIATE-RQ PDU, with a deadline.
//
// DCMTK reads the association request with blocking reads, so it is handed a socket only
// once the whole request sits in the kernel's receive buffer; until then the socket waits
// here, watched by poll() on the accept thread, and costs no thread. A peer that stays
// silent, trickles, or sends something that is not an association request is dropped at
// its deadline or at once; when the set is full the oldest waiting connection makes room
// for the newcomer (a real sender's request arrives in milliseconds, so only a peer that
// is stalling is ever evicted).
//
// Owns every socket it holds. Not thread-safe: one thread (the accept loop) uses it.
#pragma once

#include <poll.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace telerad::dicom {

class PendingConnections {
 public:
  using Clock = std::chrono::steady_clock;

  // A connection whose whole association request is buffered; the caller owns `fd`,
  // which is blocking again and has no receive low-water mark left.
  struct Ready {
    int fd;
    std::string peer;
  };
  // A connection dropped here, for the caller to log and count.
  struct Dropped {
    std::string peer;
    std::string reason;
  };

  // REQUIRES: max_pending >= 1; max_request_bytes >= 6.
  PendingConnections(std::chrono::milliseconds deadline, int max_pending,
                     uint32_t max_request_bytes);
  ~PendingConnections();
  PendingConnections(const PendingConnections&) = delete;
  PendingConnections& operator=(const PendingConnections&) = delete;

  // Takes `fd` (a connected, blocking TCP socket). If the set was full, the oldest
  // connection is closed and reported in `dropped`.
  void Add(int fd, std::string peer, Clock::time_point now, std::vector<Dropped>& dropped);

  // One pollfd per waiting connection (poll() wakes only when a request may be whole, or
  // the peer hung up: the low-water mark is set to the bytes still missing).
  void AppendPollFds(std::vector<pollfd>& fds) const;

  // Looks at the connections: moves those whose request is whole into the result, closes
  // (and reports) those that hung up, sent something else, announced a request larger
  // than max_request_bytes, or passed their deadline at `now`.
  std::vector<Ready> Collect(Clock::time_point now, std::vector<Dropped>& dropped);

  size_t size() const { return waiting_.size(); }

 private:
  struct Waiting {
    int fd;
    std::string peer;
    Clock::time_point deadline;
    uint32_t need = 6;  // bytes that make the request whole (a PDU header is 6 bytes)
  };
  enum class State { kWaiting, kReady, kBad };
  State Examine(Waiting& w, std::string& reason) const;

  const std::chrono::milliseconds deadline_;
  const size_t max_pending_;
  const uint32_t max_request_bytes_;
  std::deque<Waiting> waiting_;  // oldest first
};

}  // namespace telerad::dicom
