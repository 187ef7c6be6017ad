#include "src/ingest/sender_origin.h"

#include <gtest/gtest.h>

namespace telerad {
namespace {

const std::string kCertA(64, 'a');
const std::string kCertB(64, 'b');

Facility WithOrigin(std::vector<std::string> networks, bool require_tls, std::string sha256) {
  Facility f;
  f.code = "F1";
  f.ae_title = "F1_SCU";
  f.allowed_networks = std::move(networks);
  f.require_tls = require_tls;
  f.tls_client_sha256 = std::move(sha256);
  return f;
}

TEST(SenderOriginTest, NoRestrictionsAdmitsPlainFromAnywhere) {
  EXPECT_TRUE(CheckSenderOrigin(WithOrigin({}, false, ""), {"203.0.113.5", false, ""}).ok());
}

TEST(SenderOriginTest, PeerMustLieInAnAllowedNetwork) {
  const Facility f = WithOrigin({"10.20.0.0/16", "192.168.1.0/24"}, false, "");
  EXPECT_TRUE(CheckSenderOrigin(f, {"192.168.1.77", false, ""}).ok());
  EXPECT_TRUE(CheckSenderOrigin(f, {"::ffff:10.20.3.4", false, ""}).ok());
  const Status outside = CheckSenderOrigin(f, {"127.0.0.1", false, ""});
  EXPECT_EQ(outside.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(outside.message().find("allowed networks"), std::string::npos);
}

TEST(SenderOriginTest, RequireTlsRefusesPlain) {
  const Facility f = WithOrigin({}, true, kCertA);
  EXPECT_EQ(CheckSenderOrigin(f, {"10.0.0.1", false, ""}).code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(CheckSenderOrigin(f, {"10.0.0.1", true, kCertA}).ok());
}

TEST(SenderOriginTest, TlsNeedsTheFacilitysOwnCertificate) {
  const Facility f = WithOrigin({}, false, kCertA);
  EXPECT_TRUE(CheckSenderOrigin(f, {"10.0.0.1", true, kCertA}).ok());
  EXPECT_EQ(CheckSenderOrigin(f, {"10.0.0.1", true, kCertB}).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckSenderOrigin(f, {"10.0.0.1", true, ""}).code(), StatusCode::kPermissionDenied);
}

TEST(SenderOriginTest, TlsWithoutARegisteredCertificateIsRefused) {
  const Facility f = WithOrigin({}, false, "");
  EXPECT_EQ(CheckSenderOrigin(f, {"10.0.0.1", true, kCertA}).code(), StatusCode::kPermissionDenied);
}

TEST(SenderOriginTest, NetworkAndCertificateAreBothChecked) {
  const Facility f = WithOrigin({"10.0.0.0/8"}, true, kCertA);
  EXPECT_TRUE(CheckSenderOrigin(f, {"10.1.1.1", true, kCertA}).ok());
  EXPECT_EQ(CheckSenderOrigin(f, {"172.16.0.1", true, kCertA}).code(),
            StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace telerad
