#include "dicom/pending_tls_connections.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>

namespace telerad::dicom {
namespace {

constexpr unsigned char kAssociateRqPduType = 0x01;  // PS3.8 9.3.2
constexpr uint32_t kPduHeaderBytes = 6;              // type, reserved, 32-bit length

void SetNonBlocking(int fd, bool on) {
  const int flags = ::fcntl(fd, F_GETFL, 0);
  if (flags < 0) return;
  ::fcntl(fd, F_SETFL, on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK));
}

// OpenSSL's reason for the last failure on this thread, for the log (no peer data).
std::string TlsError() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "connection closed or reset";
  const char* reason = ERR_reason_error_string(e);
  return reason ? reason : "TLS error";
}

std::string CertificateSha256(SSL* tls) {
  X509* cert = SSL_get_peer_certificate(tls);
  if (!cert) return "";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  std::string hex;
  if (X509_digest(cert, EVP_sha256(), digest, &length) == 1) {
    static const char kHex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < length; ++i) {
      hex += kHex[digest[i] >> 4];
      hex += kHex[digest[i] & 0xf];
    }
  }
  X509_free(cert);
  return hex;
}

}  // namespace

struct PendingTlsConnections::Waiting {
  int fd = -1;
  std::string peer;
  Clock::time_point deadline;
  SSL* tls = nullptr;
  bool handshaken = false;
  bool want_write = false;  // the session waits to write (handshake), not to read
  std::string request;
};

PendingTlsConnections::PendingTlsConnections(SSL_CTX* context, std::chrono::milliseconds deadline,
                                             int max_pending, uint32_t max_request_bytes)
    : context_(context),
      deadline_(deadline),
      max_pending_(static_cast<size_t>(max_pending)),
      max_request_bytes_(max_request_bytes) {
  // OpenSSL writes with write(), so a TLS alert sent to a peer that has already gone
  // would raise SIGPIPE and end the process. DCMTK ignores SIGPIPE process-wide as well
  // (DUL_InitializeNetwork, dcmnet/libsrc/dul.cc); this does not rely on it running first.
  std::signal(SIGPIPE, SIG_IGN);
}

PendingTlsConnections::~PendingTlsConnections() {
  for (auto& w : waiting_) Close(*w);
}

void PendingTlsConnections::Close(Waiting& w) const {
  // No close_notify: the peer has not earned a reply, and it could block on a full buffer.
  if (w.tls) SSL_free(w.tls);
  w.tls = nullptr;
  ::close(w.fd);
}

void PendingTlsConnections::Add(int fd, std::string peer, Clock::time_point now,
                                std::vector<Dropped>& dropped) {
  if (waiting_.size() >= max_pending_) {
    Close(*waiting_.front());
    dropped.push_back({waiting_.front()->peer, "evicted by a newer connection while silent"});
    waiting_.pop_front();
  }
  SSL* tls = SSL_new(context_);
  if (!tls || SSL_set_fd(tls, fd) != 1) {
    if (tls) SSL_free(tls);
    ::close(fd);
    dropped.push_back({std::move(peer), "cannot start a TLS session: " + TlsError()});
    return;
  }
  SetNonBlocking(fd, true);
  auto w = std::make_unique<Waiting>();
  w->fd = fd;
  w->peer = std::move(peer);
  w->deadline = now + deadline_;
  w->tls = tls;
  waiting_.push_back(std::move(w));
}

void PendingTlsConnections::AppendPollFds(std::vector<pollfd>& fds) const {
  for (const auto& w : waiting_)
    fds.push_back({w->fd, static_cast<short>((w->want_write ? POLLOUT : POLLIN) | POLLRDHUP), 0});
}

PendingTlsConnections::State PendingTlsConnections::Advance(Waiting& w, std::string& reason) const {
  if (!w.handshaken) {
    const int rc = SSL_accept(w.tls);
    if (rc != 1) {
      const int err = SSL_get_error(w.tls, rc);
      w.want_write = err == SSL_ERROR_WANT_WRITE;
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return State::kWaiting;
      reason = "TLS handshake failed: " + TlsError();
      return State::kBad;
    }
    w.handshaken = true;
    w.want_write = false;
  }
  // The request's length is known once its PDU header is in; read exactly that much, so
  // nothing of the association's later traffic is taken from DCMTK.
  for (;;) {
    uint32_t need = kPduHeaderBytes;
    if (w.request.size() >= kPduHeaderBytes) {
      const auto* h = reinterpret_cast<const unsigned char*>(w.request.data());
      const uint32_t length =
          (uint32_t{h[2]} << 24) | (uint32_t{h[3]} << 16) | (uint32_t{h[4]} << 8) | uint32_t{h[5]};
      if (length > max_request_bytes_ - kPduHeaderBytes) {
        reason = "association request of " + std::to_string(length) + " bytes is too large";
        return State::kBad;
      }
      need = kPduHeaderBytes + length;
    }
    if (w.request.size() >= kPduHeaderBytes && w.request.size() == need) return State::kReady;
    char buf[16384];
    const size_t want = std::min<size_t>(sizeof(buf), need - w.request.size());
    const int rc = SSL_read(w.tls, buf, static_cast<int>(want));
    if (rc <= 0) {
      const int err = SSL_get_error(w.tls, rc);
      w.want_write = err == SSL_ERROR_WANT_WRITE;
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return State::kWaiting;
      reason = err == SSL_ERROR_ZERO_RETURN
                   ? "closed before its association request"
                   : "TLS error before its association request: " + TlsError();
      return State::kBad;
    }
    if (w.request.empty() && static_cast<unsigned char>(buf[0]) != kAssociateRqPduType) {
      reason = "first PDU is not an association request";
      return State::kBad;
    }
    w.request.append(buf, static_cast<size_t>(rc));
  }
}

std::vector<PendingTlsConnections::Ready> PendingTlsConnections::Collect(
    Clock::time_point now, std::vector<Dropped>& dropped) {
  std::vector<Ready> ready;
  std::deque<std::unique_ptr<Waiting>> still;
  for (auto& w : waiting_) {
    std::string reason;
    const State state = Advance(*w, reason);
    if (state == State::kReady) {
      SetNonBlocking(w->fd, false);  // DCMTK reads and writes blocking
      ready.push_back(
          {w->fd, std::move(w->peer), w->tls, std::move(w->request), CertificateSha256(w->tls)});
      continue;
    }
    if (state == State::kWaiting && now >= w->deadline)
      reason = "no TLS handshake and whole association request within " +
               std::to_string(deadline_.count()) + " ms";
    if (!reason.empty()) {
      Close(*w);
      dropped.push_back(
          {std::move(w->peer), std::move(reason), state == State::kBad && !w->handshaken});
      continue;
    }
    still.push_back(std::move(w));
  }
  waiting_.swap(still);
  return ready;
}

}  // namespace telerad::dicom
