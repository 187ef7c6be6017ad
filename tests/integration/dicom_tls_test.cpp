// Who is really sending (issue 12, item 7), against the real binary with Debian's
// storescu and echoscu: DICOM TLS with a client certificate pinned per facility, allowed
// networks per facility, the plain port kept or closed by configuration, and a silent
// TLS peer that must not delay anyone. The CA, server and client certificates are made
// with openssl in the test's scratch folder at run time.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/integration/harness.h"
#include "tests/prometheus_text.h"

namespace telerad::testing {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// A test CA, the server's certificate and two facilities' client certificates.
class TestPki {
 public:
  TestPki() : dir_(MakeTempDir("telerad-pki")) {
    Run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=telerad-test-ca -keyout " +
        Path("ca.key") + " -out " + Path("ca.pem"));
    for (const char* name : {"server", "facility_a", "facility_b"}) Issue(name);
  }
  ~TestPki() { RunCommand("rm -rf " + Quote(dir_)); }
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;
  std::string Path(const std::string& file) const { return dir_ + "/" + file; }
  std::string Key(const std::string& name) const { return Path(name + ".key"); }
  std::string Cert(const std::string& name) const { return Path(name + ".pem"); }
  // As `openssl x509 -fingerprint -sha256` prints it: upper-case, colon-separated.
  std::string Fingerprint(const std::string& name) const {
    std::string out =
        RunCommand("openssl x509 -noout -fingerprint -sha256 -in " + Cert(name)).output;
    out = out.substr(out.find('=') + 1);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }
  // storescu/echoscu options presenting `name`'s certificate, trusting the test CA.
  std::string ClientOptions(const std::string& name) const {
    return "+tls " + Key(name) + " " + Cert(name) + " -pw +cf " + Cert("ca");
  }

 private:
  void Issue(const std::string& name) {
    Run("openssl req -newkey rsa:2048 -nodes -subj /CN=" + name + " -keyout " + Key(name) +
        " -out " + Path(name + ".csr"));
    Run("openssl x509 -req -days 2 -in " + Path(name + ".csr") + " -CA " + Cert("ca") + " -CAkey " +
        Path("ca.key") + " -CAcreateserial -out " + Cert(name));
  }
  static void Run(const std::string& command) {
    CommandResult r = RunCommand(command);
    ASSERT_EQ(r.exit_code, 0) << command << "\n" << r.output;
  }
  std::string dir_;
};

std::string Lower(std::string s) {
  std::string out;
  for (char c : s)
    if (c != ':') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool Echo(int port, const std::string& extra, const std::string& calling_ae = "DEMO_SCU") {
  return RunCommand("echoscu -aet " + Quote(calling_ae) + " -aec TELERAD " + extra + " 127.0.0.1 " +
                    std::to_string(port))
             .exit_code == 0;
}

class DicomTlsTest : public ServerTest {
 protected:
  DicomTlsTest() {
    tls_port_ = FreePort();
    options_.env["TELERAD_DICOM_TLS_PORT"] = std::to_string(tls_port_);
    options_.env["TELERAD_DICOM_TLS_CERT"] = pki_.Cert("server");
    options_.env["TELERAD_DICOM_TLS_KEY"] = pki_.Key("server");
    options_.env["TELERAD_DICOM_TLS_CA"] = pki_.Cert("ca");
  }
  void SetUp() override {
    ServerTest::SetUp();
    admin_ = Login(server_->http_port, "admin");
  }
  HttpResponse PatchDemo(const nlohmann::json& body) {
    return Http("PATCH", server_->http_port, "/api/v1/facilities/DEMO", body.dump(), admin_);
  }
  void PinFacilityA() {
    HttpResponse r = PatchDemo({{"tls_client_sha256", pki_.Fingerprint("facility_a")}});
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.json["tls_client_sha256"], Lower(pki_.Fingerprint("facility_a")));
  }
  std::vector<std::string> Instances(const std::string& name, int count, int seed) {
    const std::string dir = data_ + "/" + name;
    Generate(dir, "--studies 1 --instances " + std::to_string(count) +
                      " --rows 16 --cols 16 --seed " + std::to_string(seed));
    return FilesIn(dir);
  }
  std::string StudyCount() { return db_.Scalar("SELECT count(*) FROM instance"); }
  // telerad_dicom_origin_refusals_total{reason=...} as /metrics says.
  double Refusals(const std::string& reason) {
    HttpResponse r = Http("GET", server_->http_port, "/metrics", "", admin_);
    EXPECT_EQ(r.status, 200);
    return ParsePrometheusText(r.body).Sum("telerad_dicom_origin_refusals_total",
                                           {{"reason", reason}});
  }

  TestPki pki_;
  int tls_port_ = 0;
  std::string admin_;
};

TEST_F(DicomTlsTest, FacilityCertificateStoresOverTlsAndTheStudyIsIndexed) {
  PinFacilityA();
  const auto files = Instances("a", 3, 71);
  StoreOutcome out = StoreScu(tls_port_, files, "DEMO_SCU", pki_.ClientOptions("facility_a"));
  EXPECT_EQ(out.stored.size(), 3u) << out.output << server_->Log();
  EXPECT_EQ(StudyCount(), "3");
  EXPECT_NE(server_->Log().find("event=association_ended"), std::string::npos);
}

TEST_F(DicomTlsTest, AnotherFacilitysCertificateClaimingTheAeTitleIsRejected) {
  PinFacilityA();
  StoreOutcome out =
      StoreScu(tls_port_, Instances("b", 1, 72), "DEMO_SCU", pki_.ClientOptions("facility_b"));
  EXPECT_TRUE(out.stored.empty());
  EXPECT_NE(out.output.find("Association Rejected"), std::string::npos) << out.output;
  EXPECT_NE(out.output.find("Calling AE Title Not Recognized"), std::string::npos) << out.output;
  EXPECT_EQ(StudyCount(), "0");
  EXPECT_NE(server_->Log().find("TLS client certificate is not the facility's"), std::string::npos);
  EXPECT_EQ(Refusals("certificate"), 1);
  EXPECT_TRUE(Echo(tls_port_, pki_.ClientOptions("facility_a")));  // still serving
}

TEST_F(DicomTlsTest, FacilityWithoutAPinnedCertificateCannotUseTls) {
  EXPECT_FALSE(Echo(tls_port_, pki_.ClientOptions("facility_a")));
  EXPECT_NE(server_->Log().find("no TLS client certificate registered"), std::string::npos);
}

TEST_F(DicomTlsTest, ClientWithoutCertificateIsRefusedAtTheHandshake) {
  PinFacilityA();
  StoreOutcome out =
      StoreScu(tls_port_, Instances("anon", 1, 73), "DEMO_SCU", "+tla +cf " + pki_.Cert("ca"));
  EXPECT_TRUE(out.stored.empty()) << out.output;
  EXPECT_EQ(StudyCount(), "0");
  EXPECT_NE(server_->Log().find("TLS handshake failed"), std::string::npos) << server_->Log();
  EXPECT_GE(Refusals("tls_handshake"), 1);
  EXPECT_TRUE(Echo(tls_port_, pki_.ClientOptions("facility_a")));
}

TEST_F(DicomTlsTest, PlainPortStaysForPrivateNetworksUnlessTheFacilityRequiresTls) {
  PinFacilityA();
  EXPECT_TRUE(EchoScu(server_->dicom_port, "DEMO_SCU"));
  ASSERT_EQ(PatchDemo({{"require_tls", true}}).status, 200);
  EXPECT_FALSE(EchoScu(server_->dicom_port, "DEMO_SCU"));
  EXPECT_NE(server_->Log().find("facility must use DICOM TLS"), std::string::npos);
  EXPECT_EQ(Refusals("tls_required"), 1);
  EXPECT_TRUE(Echo(tls_port_, pki_.ClientOptions("facility_a")));
}

TEST_F(DicomTlsTest, AllowedNetworksExcludingThePeerRejectTheAssociation) {
  ASSERT_EQ(PatchDemo({{"allowed_networks", {"10.0.0.0/8", "fd00::/8"}}}).status, 200);
  EXPECT_FALSE(EchoScu(server_->dicom_port, "DEMO_SCU"));
  EXPECT_NE(server_->Log().find("peer address outside the facility's allowed networks"),
            std::string::npos);
  EXPECT_EQ(Refusals("network"), 1);
  HttpResponse r = PatchDemo({{"allowed_networks", {"127.0.0.0/8"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["allowed_networks"], nlohmann::json({"127.0.0.0/8"}));
  EXPECT_TRUE(EchoScu(server_->dicom_port, "DEMO_SCU"));
  // Over TLS the network is checked as well as the certificate.
  PinFacilityA();
  ASSERT_EQ(PatchDemo({{"allowed_networks", {"192.168.0.0/16"}}}).status, 200);
  EXPECT_FALSE(Echo(tls_port_, pki_.ClientOptions("facility_a")));
  ASSERT_EQ(PatchDemo({{"allowed_networks", nlohmann::json::array()}}).status, 200);
  EXPECT_TRUE(Echo(tls_port_, pki_.ClientOptions("facility_a")));
}

TEST_F(DicomTlsTest, InvalidNetworksAndFingerprintsAre400) {
  for (const char* bad : {"10.0.0.0/33", "10.1.2.3/8", "not-a-network", "10.0.0.0/8/1"}) {
    HttpResponse r = PatchDemo({{"allowed_networks", {bad}}});
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
    EXPECT_EQ(r.json["error"]["code"], "invalid_argument") << r.body;
  }
  EXPECT_EQ(PatchDemo({{"allowed_networks", "10.0.0.0/8"}}).status, 400);
  EXPECT_EQ(PatchDemo({{"tls_client_sha256", "abc"}}).status, 400);
  // require_tls without a pinned certificate would lock the facility out.
  EXPECT_EQ(PatchDemo({{"require_tls", true}}).status, 422);
  HttpResponse unchanged = Http("GET", server_->http_port, "/api/v1/facilities/DEMO", "", admin_);
  // As seeded: the demo sender calls from this machine only.
  EXPECT_EQ(unchanged.json["allowed_networks"], (nlohmann::json{"127.0.0.0/8", "::1/128"}));
  EXPECT_FALSE(unchanged.json["require_tls"].get<bool>());
  EXPECT_TRUE(unchanged.json["tls_client_sha256"].is_null());
}

TEST_F(DicomTlsTest, SilentTlsPeersDelayNoOne) {
  PinFacilityA();
  std::vector<int> silent;
  for (int i = 0; i < 12; ++i) silent.push_back(ConnectToLoopback(tls_port_));  // no ClientHello
  // A peer that stops half-way through its ClientHello, too.
  const int half = ConnectToLoopback(tls_port_);
  const unsigned char record_start[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};
  ASSERT_EQ(::send(half, record_start, sizeof(record_start), 0), 6);
  const auto t = Clock::now();
  EXPECT_TRUE(Echo(tls_port_, pki_.ClientOptions("facility_a")));
  const double tls_echo_s = SecondsSince(t);
  const auto t2 = Clock::now();
  EXPECT_TRUE(EchoScu(server_->dicom_port, "DEMO_SCU"));
  const double plain_echo_s = SecondsSince(t2);
  EXPECT_LT(tls_echo_s, 2.0);
  EXPECT_LT(plain_echo_s, 2.0);
  std::printf("C-ECHO with 13 silent TLS peers connected: TLS %.3f s, plain %.3f s\n", tls_echo_s,
              plain_echo_s);
  for (int fd : silent) ::close(fd);
  ::close(half);
}

TEST_F(DicomTlsTest, IngestRateOverTlsAndPlain) {
  PinFacilityA();
  const auto tls_files = Instances("rate-tls", 200, 74);
  const auto plain_files = Instances("rate-plain", 200, 75);
  auto t = Clock::now();
  StoreOutcome tls = StoreScu(tls_port_, tls_files, "DEMO_SCU", pki_.ClientOptions("facility_a"));
  const double tls_s = SecondsSince(t);
  t = Clock::now();
  StoreOutcome plain = StoreScu(server_->dicom_port, plain_files);
  const double plain_s = SecondsSince(t);
  EXPECT_EQ(tls.stored.size(), 200u) << tls.output.substr(0, 2000);
  EXPECT_EQ(plain.stored.size(), 200u);
  EXPECT_EQ(StudyCount(), "400");
  std::printf("200 instances in one association: TLS %.2f s (%.0f/s), plain %.2f s (%.0f/s)\n",
              tls_s, 200 / tls_s, plain_s, 200 / plain_s);
}

class DicomTlsOnlyTest : public DicomTlsTest {
 protected:
  DicomTlsOnlyTest() { options_.env["TELERAD_DICOM_PLAIN"] = "false"; }
};

TEST_F(DicomTlsOnlyTest, PlainPortIsClosedAndTlsServes) {
  PinFacilityA();
  EXPECT_FALSE(Listening(server_->dicom_port));
  EXPECT_FALSE(EchoScu(server_->dicom_port, "DEMO_SCU"));
  StoreOutcome out =
      StoreScu(tls_port_, Instances("only", 2, 76), "DEMO_SCU", pki_.ClientOptions("facility_a"));
  EXPECT_EQ(out.stored.size(), 2u) << out.output;
}

// A TLS key that does not belong to the certificate: the server says which and does
// not start, rather than serving a TLS port that fails every handshake.
TEST(DicomTlsStartTest, MismatchedKeyAndCertificateStopTheStart) {
  TestDatabase db;
  TestPki pki;
  const std::string storage = MakeTempDir("telerad-storage");
  ASSERT_EQ(TeleradCommand(db, "telerad", "migrate").exit_code, 0);
  const char* path = std::getenv("PATH");
  // The server's own role, as in production: serve refuses the owner's connection.
  const std::string env = "TELERAD_DB_URL=" + Quote(db.app_url()) + " " + PassFileAssignment() +
                          "TELERAD_SCHEMA_DIR=" + Quote(SchemaDir()) +
                          " TELERAD_STORAGE=" + Quote(storage) +
                          " TELERAD_DICOM_PORT=" + std::to_string(FreePort()) +
                          " TELERAD_HTTP_PORT=" + std::to_string(FreePort()) +
                          " TELERAD_DICOM_TLS_PORT=" + std::to_string(FreePort()) +
                          " TELERAD_DICOM_TLS_CERT=" + Quote(pki.Cert("facility_a")) +
                          " TELERAD_DICOM_TLS_KEY=" + Quote(pki.Key("server")) +
                          " TELERAD_DICOM_TLS_CA=" + Quote(pki.Cert("ca")) +
                          " PATH=" + Quote(path ? path : "/usr/bin:/bin");
  CommandResult r =
      RunCommand("env -i " + env + " timeout 60 " + Quote(BinDir() + "/telerad") + " serve");
  EXPECT_EQ(r.exit_code, 6) << r.output;  // kExitCannotListen, not killed by timeout
  EXPECT_NE(r.output.find("does not belong to dicom_tls_cert"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace telerad::testing
