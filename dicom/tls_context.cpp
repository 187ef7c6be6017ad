#include "dicom/tls_context.h"

namespace telerad::dicom {

Result<std::unique_ptr<TlsContext>> TlsContext::Create(const std::string& cert_file,
                                                       const std::string& key_file,
                                                       const std::string& ca_file) {
  std::unique_ptr<TlsContext> ctx(new TlsContext());
  DcmTLSTransportLayer& layer = ctx->layer_;
  if (!layer) return Status::Internal("cannot create the TLS context");
  const auto bad = [](const char* key, const std::string& file, const OFCondition& cond) {
    return Status::InvalidArgument(std::string(key) + " '" + file + "': " + cond.text());
  };
  // The profile first: DCMTK 3.6.7 resets the cipher list and protocol bounds with it.
  if (OFCondition c = layer.setTLSProfile(TSP_Profile_BCP195_ND); c.bad())
    return Status::Internal(std::string("TLS profile: ") + c.text());
  if (OFCondition c = layer.activateCipherSuites(); c.bad())
    return Status::Internal(std::string("TLS cipher suites: ") + c.text());
  // An encrypted key then fails to load instead of OpenSSL asking for its password on
  // the terminal, which would hang a server started without one.
  layer.setPrivateKeyPasswd("");
  if (OFCondition c = layer.setPrivateKeyFile(key_file.c_str(), DCF_Filetype_PEM); c.bad())
    return bad("dicom_tls_key", key_file, c);
  if (OFCondition c = layer.setCertificateFile(cert_file.c_str(), DCF_Filetype_PEM); c.bad())
    return bad("dicom_tls_cert", cert_file, c);
  if (!layer.checkPrivateKeyMatchesCertificate())
    return Status::InvalidArgument("dicom_tls_key '" + key_file +
                                   "' does not belong to dicom_tls_cert '" + cert_file + "'");
  if (OFCondition c = layer.addTrustedCertificateFile(ca_file.c_str(), DCF_Filetype_PEM); c.bad())
    return bad("dicom_tls_ca", ca_file, c);
  // A client without a certificate that chains to the CA fails the handshake; which
  // facility a valid certificate belongs to is decided after the association request.
  layer.setCertificateVerification(DCV_requireCertificate);
  return ctx;
}

}  // namespace telerad::dicom
