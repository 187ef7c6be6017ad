// PendingTlsConnections: TCP connections to the DICOM TLS port that are not yet
// associations. Each one's TLS handshake and then its whole A-ASSOCIATE-RQ are read
// here without blocking, under one deadline, so that (as on the plain port, see
// PendingConnections) a silent or trickling peer costs no thread and delays no one.
// DCMTK gets the connection only once its request is decrypted and held in memory.
//
// A client must present a certificate chaining to the configured CA, else the
// handshake fails and the connection is dropped; the SHA-256 fingerprint of a valid
// one is handed on, for the facility check after the association request.
//
// Owns every socket and TLS session it holds. Not thread-safe: one thread uses it.
#pragma once

#include <poll.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace telerad::dicom {

class PendingTlsConnections {
 public:
  using Clock = std::chrono::steady_clock;

  // A connection whose handshake is done and whose association request has been read.
  // The caller owns `fd` (blocking again) and `tls` (SSL_free it, or hand it on).
  struct Ready {
    int fd;
    std::string peer;
    SSL* tls;
    std::string request;        // the whole A-ASSOCIATE-RQ PDU, decrypted
    std::string client_sha256;  // of the client certificate's DER form, lower-case hex
  };
  struct Dropped {
    std::string peer;
    std::string reason;
    bool handshake_failed = false;  // the peer spoke, but not an acceptable TLS client
  };

  // REQUIRES: `context` outlives this object; max_pending >= 1; max_request_bytes >= 6.
  PendingTlsConnections(SSL_CTX* context, std::chrono::milliseconds deadline, int max_pending,
                        uint32_t max_request_bytes);
  ~PendingTlsConnections();
  PendingTlsConnections(const PendingTlsConnections&) = delete;
  PendingTlsConnections& operator=(const PendingTlsConnections&) = delete;

  // Takes `fd` (a connected TCP socket). If the set was full, the oldest connection is
  // closed and reported in `dropped`.
  void Add(int fd, std::string peer, Clock::time_point now, std::vector<Dropped>& dropped);

  // One pollfd per waiting connection, for what its TLS session waits on.
  void AppendPollFds(std::vector<pollfd>& fds) const;

  // Advances every connection as far as it goes without blocking: moves those whose
  // request is whole into the result; closes (and reports) those whose handshake failed,
  // that hung up, sent something other than an association request or one larger than
  // max_request_bytes, or passed their deadline at `now`.
  std::vector<Ready> Collect(Clock::time_point now, std::vector<Dropped>& dropped);

  size_t size() const { return waiting_.size(); }

 private:
  struct Waiting;
  enum class State { kWaiting, kReady, kBad };
  State Advance(Waiting& w, std::string& reason) const;
  void Close(Waiting& w) const;

  SSL_CTX* const context_;
  const std::chrono::milliseconds deadline_;
  const size_t max_pending_;
  const uint32_t max_request_bytes_;
  std::deque<std::unique_ptr<Waiting>> waiting_;  // oldest first
};

}  // namespace telerad::dicom
