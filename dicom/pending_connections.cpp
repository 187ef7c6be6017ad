#include "dicom/pending_connections.h"

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace telerad::dicom {
namespace {

constexpr unsigned char kAssociateRqPduType = 0x01;  // PS3.8 9.3.2
constexpr uint32_t kPduHeaderBytes = 6;              // type, reserved, 32-bit length

void SetLowWaterMark(int fd, uint32_t bytes) {
  int value = static_cast<int>(bytes);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &value, sizeof(value));
}

}  // namespace

PendingConnections::PendingConnections(std::chrono::milliseconds deadline, int max_pending,
                                       uint32_t max_request_bytes)
    : deadline_(deadline),
      max_pending_(static_cast<size_t>(max_pending)),
      max_request_bytes_(max_request_bytes) {}

PendingConnections::~PendingConnections() {
  for (const Waiting& w : waiting_) ::close(w.fd);
}

void PendingConnections::Add(int fd, std::string peer, Clock::time_point now,
                             std::vector<Dropped>& dropped) {
  if (waiting_.size() >= max_pending_) {
    ::close(waiting_.front().fd);
    dropped.push_back({waiting_.front().peer, "evicted by a newer connection while silent"});
    waiting_.pop_front();
  }
  SetLowWaterMark(fd, kPduHeaderBytes);
  waiting_.push_back({fd, std::move(peer), now + deadline_});
}

void PendingConnections::AppendPollFds(std::vector<pollfd>& fds) const {
  for (const Waiting& w : waiting_) fds.push_back({w.fd, POLLIN | POLLRDHUP, 0});
}

PendingConnections::State PendingConnections::Examine(Waiting& w, std::string& reason) const {
  unsigned char header[kPduHeaderBytes];
  const ssize_t n = ::recv(w.fd, header, sizeof(header), MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) {
    reason = "closed before its association request";
    return State::kBad;
  }
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return State::kWaiting;
    reason = "connection error before its association request";
    return State::kBad;
  }
  if (header[0] != kAssociateRqPduType) {
    reason = "first PDU is not an association request";
    return State::kBad;
  }
  if (n < static_cast<ssize_t>(kPduHeaderBytes)) return State::kWaiting;
  const uint32_t length = (uint32_t{header[2]} << 24) | (uint32_t{header[3]} << 16) |
                          (uint32_t{header[4]} << 8) | uint32_t{header[5]};
  if (length > max_request_bytes_ - kPduHeaderBytes) {
    reason = "association request of " + std::to_string(length) + " bytes is too large";
    return State::kBad;
  }
  w.need = kPduHeaderBytes + length;
  int buffered = 0;
  if (::ioctl(w.fd, FIONREAD, &buffered) != 0) {
    reason = "connection error before its association request";
    return State::kBad;
  }
  if (static_cast<uint32_t>(buffered) >= w.need) return State::kReady;
  // Wake poll() only once the rest is there, so a trickling peer costs no spinning.
  SetLowWaterMark(w.fd, w.need);
  return State::kWaiting;
}

std::vector<PendingConnections::Ready> PendingConnections::Collect(Clock::time_point now,
                                                                   std::vector<Dropped>& dropped) {
  std::vector<Ready> ready;
  std::deque<Waiting> still;
  for (Waiting& w : waiting_) {
    std::string reason;
    const State state = Examine(w, reason);
    if (state == State::kReady) {
      SetLowWaterMark(w.fd, 1);  // DCMTK's own reads expect the default
      ready.push_back({w.fd, std::move(w.peer)});
      continue;
    }
    if (state == State::kWaiting && now >= w.deadline)
      reason = "no whole association request within " + std::to_string(deadline_.count()) + " ms";
    if (!reason.empty()) {
      ::close(w.fd);
      dropped.push_back({std::move(w.peer), std::move(reason)});
      continue;
    }
    still.push_back(std::move(w));
  }
  waiting_.swap(still);
  return ready;
}

}  // namespace telerad::dicom
