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

using V = OriginVerdict;

TEST(SenderOriginTest, NoRestrictionsAdmitsPlainFromAnywhere) {
  EXPECT_EQ(CheckSenderOrigin(WithOrigin({}, false, ""), {"203.0.113.5", false, ""}), V::kAllowed);
}

TEST(SenderOriginTest, PeerMustLieInAnAllowedNetwork) {
  const Facility f = WithOrigin({"10.20.0.0/16", "192.168.1.0/24"}, false, "");
  EXPECT_EQ(CheckSenderOrigin(f, {"192.168.1.77", false, ""}), V::kAllowed);
  EXPECT_EQ(CheckSenderOrigin(f, {"::ffff:10.20.3.4", false, ""}), V::kAllowed);
  EXPECT_EQ(CheckSenderOrigin(f, {"127.0.0.1", false, ""}), V::kOutsideNetworks);
}

TEST(SenderOriginTest, RequireTlsRefusesPlain) {
  const Facility f = WithOrigin({}, true, kCertA);
  EXPECT_EQ(CheckSenderOrigin(f, {"10.0.0.1", false, ""}), V::kTlsRequired);
  EXPECT_EQ(CheckSenderOrigin(f, {"10.0.0.1", true, kCertA}), V::kAllowed);
}

TEST(SenderOriginTest, TlsNeedsTheFacilitysOwnCertificate) {
  const Facility f = WithOrigin({}, false, kCertA);
  EXPECT_EQ(CheckSenderOrigin(f, {"10.0.0.1", true, kCertA}), V::kAllowed);
  EXPECT_EQ(CheckSenderOrigin(f, {"10.0.0.1", true, kCertB}), V::kAnotherCertificate);
  EXPECT_EQ(CheckSenderOrigin(f, {"10.0.0.1", true, ""}), V::kAnotherCertificate);
}

TEST(SenderOriginTest, TlsWithoutARegisteredCertificateIsRefused) {
  const Facility f = WithOrigin({}, false, "");
  EXPECT_EQ(CheckSenderOrigin(f, {"10.0.0.1", true, kCertA}), V::kNoCertificate);
}

TEST(SenderOriginTest, NetworkAndCertificateAreBothChecked) {
  const Facility f = WithOrigin({"10.0.0.0/8"}, true, kCertA);
  EXPECT_EQ(CheckSenderOrigin(f, {"10.1.1.1", true, kCertA}), V::kAllowed);
  EXPECT_EQ(CheckSenderOrigin(f, {"172.16.0.1", true, kCertA}), V::kOutsideNetworks);
}

TEST(SenderOriginTest, EveryRefusalIsPermissionDeniedWithItsReason) {
  EXPECT_TRUE(ToStatus(V::kAllowed).ok());
  for (V v : {V::kOutsideNetworks, V::kTlsRequired, V::kNoCertificate, V::kAnotherCertificate}) {
    const Status s = ToStatus(v);
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
    EXPECT_FALSE(s.message().empty());
  }
  EXPECT_NE(ToStatus(V::kOutsideNetworks).message().find("allowed networks"), std::string::npos);
}

}  // namespace
}  // namespace telerad
