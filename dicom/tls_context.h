// TlsContext: the server side of DICOM TLS, set up with DCMTK's TLS layer (dcmtls,
// built on OpenSSL): our certificate and key, the CA every client certificate must
// chain to, a client certificate required, and DCMTK's non-downgrading BCP 195 profile
// (TLS 1.2 or later with forward-secret AEAD suites, as `storescu +tls` offers by
// default).
//
// Handshakes are not run by DCMTK here (its serverSideHandshake() blocks until the peer
// speaks): PendingTlsConnections drives them without blocking, from native().
//
// Immutable once created; native() may be used from any thread (OpenSSL's SSL_CTX is
// safe to share for SSL_new).
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmtls/tlslayer.h>

#include <memory>
#include <string>

#include "src/base/status.h"

namespace telerad::dicom {

class TlsContext {
 public:
  // kInvalidArgument naming the file that cannot be used (missing, unreadable, not
  // PEM, key not matching the certificate).
  static Result<std::unique_ptr<TlsContext>> Create(const std::string& cert_file,
                                                    const std::string& key_file,
                                                    const std::string& ca_file);

  SSL_CTX* native() { return layer_.getNativeHandle(); }

 private:
  TlsContext() : layer_(NET_ACCEPTOR, nullptr, OFTrue) {}
  DcmTLSTransportLayer layer_;
};

}  // namespace telerad::dicom
