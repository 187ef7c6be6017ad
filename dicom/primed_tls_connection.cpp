#include "dicom/primed_tls_connection.h"

#include <algorithm>
#include <cstring>

namespace telerad::dicom {

PrimedTlsConnection::PrimedTlsConnection(int fd, SSL* tls, std::string request)
    : DcmTLSConnection(fd, tls), request_(std::move(request)) {}

OFCondition PrimedTlsConnection::serverSideHandshake() { return EC_Normal; }

ssize_t PrimedTlsConnection::read(void* buf, size_t nbyte) {
  if (offset_ < request_.size()) {
    const size_t n = std::min(nbyte, request_.size() - offset_);
    std::memcpy(buf, request_.data() + offset_, n);
    offset_ += n;
    return static_cast<ssize_t>(n);
  }
  return DcmTLSConnection::read(buf, nbyte);
}

OFBool PrimedTlsConnection::networkDataAvailable(int timeout) {
  if (offset_ < request_.size()) return OFTrue;
  return DcmTLSConnection::networkDataAvailable(timeout);
}

}  // namespace telerad::dicom
