#include "src/config/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

namespace telerad {

TEST(ConfigTest, DefaultsMatchTheContract) {
  auto c = Config::Load("");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->dicom_port, 11112);
  EXPECT_EQ(c->http_port, 8080);
  EXPECT_EQ(c->dicom_ae_title, "TELERAD");
  EXPECT_EQ(c->stable_after.count(), 30);
}

TEST(ConfigTest, FileThenEnvironmentOverride) {
  const std::string path = ::testing::TempDir() + "telerad-config-test.conf";
  std::ofstream(path) << "# comment\ndicom_port = 11999\nstable_after=5\n";
  setenv("TELERAD_STABLE_AFTER", "1", 1);
  auto c = Config::Load(path);
  unsetenv("TELERAD_STABLE_AFTER");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->dicom_port, 11999);
  EXPECT_EQ(c->stable_after.count(), 1);
}

TEST(ConfigTest, RejectsUnknownKeysAndBadValues) {
  Config c;
  EXPECT_EQ(c.Set("dicom_prot", "1").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("dicom_port", "70000").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("dicom_port", "12a").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("dicom_ae_title", "MUCH_TOO_LONG_AE_TITLE").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("log_level", "loud").code(), StatusCode::kInvalidArgument);
}

TEST(ConfigTest, TrustedProxiesAreAListOfNetworks) {
  Config c;
  EXPECT_TRUE(c.http_trusted_proxies.empty());  // by default no header is believed
  ASSERT_TRUE(c.Set("http_trusted_proxies", "10.0.0.5, 172.16.0.0/12,fd00::/8").ok());
  ASSERT_EQ(c.http_trusted_proxies.size(), 3u);
  EXPECT_TRUE(Contains(c.http_trusted_proxies[1], "172.31.255.1"));
  EXPECT_EQ(c.Set("http_trusted_proxies", "10.0.0.0/8, proxy.example").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(c.http_trusted_proxies.size(), 3u);  // a refused value changes nothing
  ASSERT_TRUE(c.Set("http_trusted_proxies", "").ok());
  EXPECT_TRUE(c.http_trusted_proxies.empty());
}

TEST(ConfigTest, MissingNamedFileIsAnError) {
  EXPECT_FALSE(Config::Load("/nonexistent/telerad.conf").ok());
}

}  // namespace telerad

namespace telerad {

TEST(ConfigTest, EveryKeyCanBeSetFromTheEnvironment) {
  // A key that Set() knows but Keys() forgets would silently ignore its TELERAD_* variable.
  Config probe;
  for (const std::string& key : Config::Keys())
    EXPECT_NE(probe.Set(key, "").message().find("unknown"), 0u) << key;
  EXPECT_EQ(probe.Set("claim_lease", "120").code(), StatusCode::kOk);
  setenv("TELERAD_CLAIM_LEASE", "7", 1);
  auto c = Config::Load("");
  unsetenv("TELERAD_CLAIM_LEASE");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->claim_lease.count(), 7);
}

}  // namespace telerad

namespace telerad {

TEST(ConfigTest, MetricsTokenIsOffByDefaultAndNeverEchoed) {
  Config c;
  EXPECT_TRUE(c.metrics_token.empty());
  EXPECT_TRUE(c.Set("metrics_token", "").ok());
  Status short_token = c.Set("metrics_token", "tooshort");
  EXPECT_EQ(short_token.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(short_token.message().find("tooshort"), std::string::npos);
  Status spaced = c.Set("metrics_token", "has a space in the middle");
  EXPECT_EQ(spaced.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(spaced.message().find("middle"), std::string::npos);
  EXPECT_TRUE(c.Set("metrics_token", "0123456789abcdef-ok").ok());
  EXPECT_EQ(c.metrics_token, "0123456789abcdef-ok");
}

}  // namespace telerad

namespace telerad {

TEST(ConfigTest, HostilePeerLimitsHaveSafeDefaults) {
  Config c;
  EXPECT_EQ(c.dicom_request_timeout_s, 10);
  EXPECT_EQ(c.dicom_association_max_s, 3600);
  EXPECT_EQ(c.dicom_max_per_ae, 4);
  EXPECT_LT(c.dicom_max_per_ae, c.dicom_workers);  // one sender cannot take every worker
  EXPECT_EQ(c.dicom_max_dataset_bytes, int64_t{2} << 30);
  EXPECT_EQ(c.dicom_min_rate, 1024);  // far below the slowest link a facility would use
}

TEST(ConfigTest, HostilePeerLimitsAreValidated) {
  Config c;
  EXPECT_EQ(c.Set("dicom_request_timeout", "0").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("dicom_max_pending", "0").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("dicom_association_max", "5").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("dicom_max_per_ae", "0").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("dicom_max_dataset_bytes", "1000").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("dicom_max_dataset_bytes", "5GiB").code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(c.Set("dicom_max_dataset_bytes", "5368709120").ok());
  EXPECT_EQ(c.dicom_max_dataset_bytes, int64_t{5} << 30);  // past 32 bits
  ASSERT_TRUE(c.Set("dicom_max_per_ae", "2").ok());
  EXPECT_EQ(c.dicom_max_per_ae, 2);
  EXPECT_EQ(c.Set("dicom_min_rate", "-1").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("dicom_min_rate", "1KiB").code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(c.Set("dicom_min_rate", "0").ok());
  EXPECT_EQ(c.dicom_min_rate, 0);
}

// The data set screen's limits: today's defaults, and no value that would let DCMTK's
// recursion or per-element objects take a worker (or the server) down.
TEST(ConfigTest, DataSetScreenLimitsHaveTheirDefaultsAndBounds) {
  Config c;
  EXPECT_EQ(c.dicom_max_sequence_depth, 16);
  EXPECT_EQ(c.dicom_max_elements, 1'000'000);
  EXPECT_EQ(c.dicom_max_inflated_bytes, int64_t{1} << 30);
  EXPECT_EQ(c.Set("dicom_max_sequence_depth", "0").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("dicom_max_sequence_depth", "65").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("dicom_max_elements", "999").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("dicom_max_elements", "10000001").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("dicom_max_inflated_bytes", "1048575").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("dicom_max_inflated_bytes", "1 GiB").code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(c.Set("dicom_max_sequence_depth", "64").ok());
  ASSERT_TRUE(c.Set("dicom_max_elements", "1000").ok());
  ASSERT_TRUE(c.Set("dicom_max_inflated_bytes", "8589934592").ok());
  EXPECT_EQ(c.dicom_max_sequence_depth, 64);
  EXPECT_EQ(c.dicom_max_elements, 1000);
  EXPECT_EQ(c.dicom_max_inflated_bytes, int64_t{8} << 30);
}

// The path limit guards Pistache's recursive regex: it cannot be raised to a length that
// would overflow a reactor thread's stack (some 20,000 slashes).
TEST(ConfigTest, HttpDoorLimitsHaveSafeDefaultsAndBounds) {
  Config c;
  EXPECT_EQ(c.http_max_target_bytes, 8192);
  EXPECT_EQ(c.http_header_timeout.count(), 10);
  EXPECT_EQ(c.login_hash_concurrency, 2);
  EXPECT_EQ(c.Set("http_max_target_bytes", "20000").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(c.Set("http_max_target_bytes", "16384").ok());
  EXPECT_EQ(c.Set("http_max_connections", "0").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("login_hash_concurrency", "0").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.Set("login_address_max_failures", "0").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(c.Set("login_address_window", "300").ok());
  EXPECT_EQ(c.login_address_window.count(), 300);
}

}  // namespace telerad

namespace telerad {

TEST(ConfigTest, DatabaseRolesHaveSafeDefaultsAndPlainNames) {
  Config c;
  EXPECT_TRUE(c.db_owner_url.empty());  // the one-shot commands then use db_url
  EXPECT_EQ(c.db_app_role, "telerad_app");
  EXPECT_TRUE(c.Set("db_app_role", "app_2").ok());
  EXPECT_EQ(c.db_app_role, "app_2");
  const std::string too_long(64, 'a');
  for (const std::string& bad :
       {std::string(), std::string("Telerad"), std::string("app role"),
        std::string("app\"; DROP TABLE audit_event; --"), std::string("a-b"), too_long})
    EXPECT_EQ(c.Set("db_app_role", bad).code(), StatusCode::kInvalidArgument) << bad;
  EXPECT_TRUE(c.Set("db_owner_url", "host=db user=telerad_owner").ok());
  EXPECT_EQ(c.db_owner_url, "host=db user=telerad_owner");
}

TEST(ConfigTest, DicomTlsIsOffByDefaultAndThePlainPortOn) {
  Config c;
  EXPECT_EQ(c.dicom_tls_port, 0);
  EXPECT_TRUE(c.dicom_plain);
  EXPECT_TRUE(c.CheckDicomDoors().ok());
}

TEST(ConfigTest, DicomTlsPortNeedsCertificateKeyAndCa) {
  Config c;
  ASSERT_TRUE(c.Set("dicom_tls_port", "2762").ok());
  EXPECT_EQ(c.CheckDicomDoors().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(c.Set("dicom_tls_cert", "/etc/telerad/server.pem").ok());
  ASSERT_TRUE(c.Set("dicom_tls_key", "/etc/telerad/server.key").ok());
  EXPECT_EQ(c.CheckDicomDoors().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(c.Set("dicom_tls_ca", "/etc/telerad/facilities-ca.pem").ok());
  EXPECT_TRUE(c.CheckDicomDoors().ok());
  ASSERT_TRUE(c.Set("dicom_tls_port", "11112").ok());  // the plain port's
  EXPECT_EQ(c.CheckDicomDoors().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(c.Set("dicom_plain", "false").ok());  // now the plain port is closed: fine
  EXPECT_TRUE(c.CheckDicomDoors().ok());
}

TEST(ConfigTest, ClosingThePlainPortNeedsTheTlsPort) {
  Config c;
  EXPECT_FALSE(c.Set("dicom_plain", "no").ok());
  ASSERT_TRUE(c.Set("dicom_plain", "false").ok());
  EXPECT_FALSE(c.dicom_plain);
  EXPECT_EQ(c.CheckDicomDoors().code(), StatusCode::kInvalidArgument);
  setenv("TELERAD_DICOM_PLAIN", "false", 1);
  auto loaded = Config::Load("");
  unsetenv("TELERAD_DICOM_PLAIN");
  EXPECT_FALSE(loaded.ok());
}

}  // namespace telerad
