// PrimedTlsConnection: a DCMTK TLS connection whose handshake is done and whose
// A-ASSOCIATE-RQ was already read (by PendingTlsConnections, without blocking). DCMTK
// reads that request again from memory, then the rest of the association from the TLS
// session as usual; the handshake DCMTK asks for is a no-op.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmtls/tlstrans.h>

#include <string>

namespace telerad::dicom {

class PrimedTlsConnection : public DcmTLSConnection {
 public:
  // Takes `fd` and `tls` (a finished server-side session on it).
  PrimedTlsConnection(int fd, SSL* tls, std::string request);

  OFCondition serverSideHandshake() override;
  ssize_t read(void* buf, size_t nbyte) override;
  OFBool networkDataAvailable(int timeout) override;

 private:
  const std::string request_;
  size_t offset_ = 0;  // bytes of request_ DCMTK has read
};

}  // namespace telerad::dicom
