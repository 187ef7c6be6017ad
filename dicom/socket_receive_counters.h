// What the kernel has received on a connected TCP socket, read from any thread without
// disturbing the thread that reads the socket (TransferRateGuard's samples).
#pragma once

#include <cstdint>
#include <optional>

namespace telerad::dicom {

struct ReceiveCounters {
  uint64_t received = 0;  // every byte received so far (TCP_INFO tcpi_bytes_received)
  uint64_t unread = 0;    // of those, not yet read by the application (FIONREAD)
};

// nullopt if `fd` is not a TCP socket or the kernel predates tcpi_bytes_received (4.1).
std::optional<ReceiveCounters> ReadReceiveCounters(int fd);

}  // namespace telerad::dicom
