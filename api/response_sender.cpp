#include "api/response_sender.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "src/base/logging.h"

namespace telerad::api {

OutgoingConnection::OutgoingConnection(int peer_fd)
    : fd_(::fcntl(peer_fd, F_DUPFD_CLOEXEC, 0)), last_progress_(Clock::now()) {
  // No Nagle: a response leaves as separate sends (header, body pieces), and with Nagle
  // the last short segment of an answer waits for the ACK of the one before it, which a
  // client delays up to 40 ms on a kept-alive connection (every series metadata answer
  // after the first on a viewer's connection took ~50 ms instead of ~14 ms). Pistache
  // sets TCP_NODELAY only when asked (pistache@0.0.5:src/server/listener.cc
  // setSocketOptions, Options::NoDelay); on the duplicate it applies to the socket. Not a
  // TCP socket (a test's socketpair): the call fails and nothing changes.
  const int one = 1;
  if (fd_ >= 0) (void)::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

OutgoingConnection::~OutgoingConnection() {
  if (fd_ >= 0) ::close(fd_);
}

ResponseSender::ResponseSender(Limits limits) : limits_(limits) {}

ResponseSender::~ResponseSender() { Stop(); }

Status ResponseSender::Start() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (epoll_fd_ < 0 || wake_fd_ < 0) return Status::Unavailable("cannot create the sender's epoll");
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = nullptr;  // the wake-up descriptor
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event) != 0)
    return Status::Unavailable("cannot watch the sender's wake-up descriptor");
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void ResponseSender::Stop() {
  if (thread_.joinable()) {
    stop_ = true;
    const uint64_t one = 1;
    (void)::write(wake_fd_, &one, sizeof one);
    thread_.join();
  }
  std::vector<std::shared_ptr<OutgoingConnection>> left;
  {
    std::lock_guard<std::mutex> lock(watched_mutex_);
    for (auto& [key, connection] : watched_) left.push_back(connection);
  }
  for (auto& connection : left) {
    std::lock_guard<std::mutex> lock(connection->mutex_);
    Abort(*connection, "server_stopping");
  }
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
  epoll_fd_ = wake_fd_ = -1;
}

bool ResponseSender::Admits(size_t memory_bytes) const {
  return queued_bytes_.load() + memory_bytes <= limits_.max_queued_bytes;
}

size_t ResponseSender::waiting_connections() const {
  std::lock_guard<std::mutex> lock(watched_mutex_);
  return watched_.size();
}

void ResponseSender::Send(const std::shared_ptr<OutgoingConnection>& connection,
                          WireResponse response) {
  std::lock_guard<std::mutex> lock(connection->mutex_);
  OutgoingConnection& c = *connection;
  if (c.shut_ || !c.valid()) return;
  if (c.queue_.empty()) {
    switch (WriteSome(c, response, kDirectBytes)) {
      case Progress::kDone:
        Finished(c, response);
        return;
      case Progress::kFailed:
        Abort(c, "write_failed");
        return;
      case Progress::kBlocked:
      case Progress::kBudgetSpent:
        break;
    }
  } else if (c.queue_.size() >= limits_.max_queued_responses) {
    // A client pipelining requests faster than it reads their answers.
    Abort(c, "too_many_queued");
    return;
  }
  OutgoingConnection::Queued queued;
  queued.reserved = response.memory_bytes();
  queued.response = std::move(response);
  queued_bytes_ += queued.reserved;
  c.queue_.push_back(std::move(queued));
  if (!c.watched_) {
    c.watched_ = true;
    c.last_progress_ = c.window_start_ = Clock::now();
    c.window_bytes_ = 0;
    Watch(connection);
  }
}

void ResponseSender::Reset(const std::shared_ptr<OutgoingConnection>& connection,
                           const char* reason) {
  std::lock_guard<std::mutex> lock(connection->mutex_);
  if (connection->valid()) Abort(*connection, reason);
}

ResponseSender::Progress ResponseSender::WriteSome(OutgoingConnection& c, WireResponse& response,
                                                   size_t budget) {
  size_t written = 0;
  while (!response.pieces.empty()) {
    if (written >= budget) return Progress::kBudgetSpent;
    BodyPiece& piece = response.pieces.front();
    const size_t left = piece.size() - response.sent_of_front;
    const size_t chunk = std::min(left, budget - written);
    ssize_t n;
    if (piece.is_file()) {
      off_t offset = piece.offset + static_cast<off_t>(response.sent_of_front);
      n = ::sendfile(c.fd_, piece.file->fd(), &offset, chunk);
      // The file ended early (truncated under us): the promised length cannot be kept.
      if (n == 0) return Progress::kFailed;
    } else {
      n = ::send(c.fd_, piece.bytes.data() + response.sent_of_front, chunk,
                 MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return Progress::kBlocked;
      return Progress::kFailed;
    }
    written += static_cast<size_t>(n);
    c.last_progress_ = Clock::now();
    c.window_bytes_ += static_cast<size_t>(n);
    response.sent_of_front += static_cast<size_t>(n);
    if (response.sent_of_front == piece.size()) {
      response.pieces.pop_front();
      response.sent_of_front = 0;
    }
  }
  return Progress::kDone;
}

void ResponseSender::Finished(OutgoingConnection& c, const WireResponse& response) {
  if (!response.close_after) return;
  // Connection: close (asked for, or HTTP/1.0). Only the write side: the client reads
  // the answer to its end and closes; Pistache then sees end-of-file and drops the peer.
  // Shutting the read side too would turn unread pipelined bytes into a reset that can
  // destroy the answer in the client's buffer.
  ::shutdown(c.fd_, SHUT_WR);
  c.shut_ = true;
  Release(c);
}

void ResponseSender::Release(OutgoingConnection& c) {
  for (const auto& queued : c.queue_) queued_bytes_ -= queued.reserved;
  c.queue_.clear();
  if (c.watched_) Unwatch(c);
}

void ResponseSender::Abort(OutgoingConnection& c, const char* reason) {
  if (!c.shut_) {
    ApiLog().info("event=http_send_aborted reason={} queued_responses={}", reason, c.queue_.size());
    // A reset, not an orderly close: the kernel drops what the client never read instead
    // of keeping it for minutes. Pistache sees the read side end and drops the peer.
    linger hard{1, 0};
    (void)::setsockopt(c.fd_, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    ::shutdown(c.fd_, SHUT_RDWR);
    c.shut_ = true;
  }
  Release(c);
}

void ResponseSender::Watch(const std::shared_ptr<OutgoingConnection>& connection) {
  std::lock_guard<std::mutex> lock(watched_mutex_);
  watched_[connection.get()] = connection;
  epoll_event event{};
  // Level-triggered: while bytes wait and the socket has room, the thread is woken.
  event.events = EPOLLOUT;
  event.data.ptr = connection.get();
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, connection->fd_, &event) != 0)
    ApiLog().error("event=http_sender_watch_failed errno={}", errno);
}

void ResponseSender::Unwatch(OutgoingConnection& c) {
  c.watched_ = false;
  (void)::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd_, nullptr);
  std::lock_guard<std::mutex> lock(watched_mutex_);
  watched_.erase(&c);
}

void ResponseSender::DrainLocked(OutgoingConnection& c) {
  size_t turn = 0;
  while (!c.queue_.empty() && !c.shut_) {
    auto& front = c.queue_.front();
    const size_t before = c.window_bytes_;
    const Progress progress = WriteSome(c, front.response, kTurnBytes - std::min(turn, kTurnBytes));
    turn += c.window_bytes_ - before;
    switch (progress) {
      case Progress::kDone: {
        queued_bytes_ -= front.reserved;
        WireResponse done = std::move(front.response);
        c.queue_.pop_front();
        Finished(c, done);
        if (turn >= kTurnBytes) return;
        break;
      }
      case Progress::kFailed:
        Abort(c, "write_failed");
        return;
      case Progress::kBlocked:
      case Progress::kBudgetSpent:
        return;
    }
  }
  if (c.queue_.empty() && c.watched_) Unwatch(c);
}

void ResponseSender::CheckDeadlines() {
  std::vector<std::shared_ptr<OutgoingConnection>> watched;
  {
    std::lock_guard<std::mutex> lock(watched_mutex_);
    for (auto& [key, connection] : watched_) watched.push_back(connection);
  }
  const auto now = Clock::now();
  const auto window = std::chrono::duration_cast<Clock::duration>(limits_.send_timeout);
  for (auto& connection : watched) {
    std::lock_guard<std::mutex> lock(connection->mutex_);
    OutgoingConnection& c = *connection;
    if (!c.watched_) continue;
    if (now - c.last_progress_ >= window) {
      Abort(c, "send_timeout");
    } else if (now - c.window_start_ >= window) {
      const auto seconds = static_cast<size_t>(limits_.send_timeout.count());
      if (c.window_bytes_ < limits_.min_rate_bytes * seconds) {
        Abort(c, "below_min_rate");
      } else {
        c.window_start_ = now;
        c.window_bytes_ = 0;
      }
    }
  }
}

void ResponseSender::Run() {
  constexpr int kMaxEvents = 64;
  constexpr auto kCheckEvery = std::chrono::milliseconds(250);
  epoll_event events[kMaxEvents];
  auto last_check = Clock::now();
  while (!stop_) {
    const int n = ::epoll_wait(epoll_fd_, events, kMaxEvents, 250);
    for (int i = 0; i < n; ++i) {
      if (events[i].data.ptr == nullptr) {
        uint64_t count;
        (void)::read(wake_fd_, &count, sizeof count);
        continue;
      }
      std::shared_ptr<OutgoingConnection> connection;
      {
        std::lock_guard<std::mutex> lock(watched_mutex_);
        auto it = watched_.find(static_cast<const OutgoingConnection*>(events[i].data.ptr));
        if (it == watched_.end()) continue;
        connection = it->second;
      }
      std::lock_guard<std::mutex> lock(connection->mutex_);
      if (events[i].events & (EPOLLERR | EPOLLHUP))
        Abort(*connection, "peer_gone");
      else
        DrainLocked(*connection);
    }
    if (Clock::now() - last_check >= kCheckEvery) {
      CheckDeadlines();
      last_check = Clock::now();
    }
  }
}

}  // namespace telerad::api
