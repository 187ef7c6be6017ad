// TcpListener: the DICOM port's listening socket (IPv4, as DCMTK 3.6.7's acceptor).
// telerad accepts connections itself so that accepting never waits for a peer to speak
// (PendingConnections waits for that, without a thread).
//
// Owns the socket. Not thread-safe: one thread accepts.
#pragma once

#include <string>

#include "src/base/status.h"

namespace telerad::dicom {

class TcpListener {
 public:
  TcpListener() = default;
  ~TcpListener();
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;

  // Listens on `port` (all addresses). kUnavailable if the port cannot be opened.
  Status Open(int port);

  // A newly accepted connection (blocking, close-on-exec) and the peer's address, or
  // fd = -1 when none is waiting: the listening socket itself never blocks.
  struct Accepted {
    int fd = -1;
    std::string peer;
  };
  Accepted Accept();

  // The listening socket, for poll(); -1 when closed.
  int fd() const { return fd_; }

  // Closes the listening socket: new peers are refused by the kernel. Idempotent.
  void Close();

 private:
  int fd_ = -1;
};

}  // namespace telerad::dicom
