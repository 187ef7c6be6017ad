// The HTTPS door (issue 12, item 7): scripts/https-proxy runs HAProxy with the shipped
// docker/haproxy/telerad.cfg in front of the real server. Through it login and the
// worklist work over TLS 1.2+, plain HTTP is redirected, TLS 1.0 and 1.1 are refused, a
// client's own X-Forwarded-For never reaches the backend, and a client that stalls
// mid-request is cut off while others are served. Skipped only without haproxy/openssl.
#include "tests/integration/https_proxy.h"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

// s_client's exit status for a handshake at exactly `version` (-tls1, -tls1_1, -tls1_2).
// SECLEVEL=0 lets Debian's OpenSSL client offer the old versions at all, so a refusal
// can only come from the server.
int Handshake(int port, const std::string& version) {
  return RunCommand("openssl s_client " + version +
                    " -cipher DEFAULT@SECLEVEL=0 -connect 127.0.0.1:" + std::to_string(port) +
                    " </dev/null")
      .exit_code;
}

class HttpsProxyTest : public ServerTest {
 protected:
  // As an operator must configure it (README, "HTTPS"): the proxy on this machine is
  // trusted to name the client.
  HttpsProxyTest() { options_.env["TELERAD_HTTP_TRUSTED_PROXIES"] = "127.0.0.1"; }

  void SetUp() override {
    if (!HttpsToolsInstalled()) GTEST_SKIP() << "haproxy or openssl not installed";
    ServerTest::SetUp();
    proxy_ = std::make_unique<HttpsProxy>(
        "127.0.0.1:" + std::to_string(server_->http_port),
        std::map<std::string, std::string>{{"TELERAD_HTTPS_REQUEST_TIMEOUT", "2s"}});
    ASSERT_TRUE(proxy_->WaitUntilForwarding()) << proxy_->Log();
    base_ = "https://localhost:" + std::to_string(proxy_->https_port);
  }
  void TearDown() override {
    proxy_.reset();
    if (server_) ServerTest::TearDown();
  }

  CurlResponse Get(const std::string& path, const std::string& options = "") {
    return Curl(proxy_->ca_file(), options + " " + Quote(base_ + path));
  }

  std::unique_ptr<HttpsProxy> proxy_;
  std::string base_;
};

TEST_F(HttpsProxyTest, LoginAndWorklistWorkOverTlsAndPlainHttpIsRedirected) {
  const std::vector<std::string> uids = ReadyStudies(1, 800);
  const std::string rad1_login =
      "-H 'Content-Type: application/json' "
      "-d '{\"username\":\"rad1\",\"password\":\"telerad-demo\"}'";
  // A demo account's password is published: through the proxy it opens nothing.
  EXPECT_EQ(Get("/api/v1/auth/login", rad1_login).status, 401);
  db_.Scalar(
      "WITH changed AS (UPDATE app_user SET demo = false WHERE username = 'rad1' "
      "RETURNING 1) SELECT count(*) FROM changed");
  CurlResponse login = Get("/api/v1/auth/login", rad1_login);
  ASSERT_EQ(login.status, 200) << login.output << proxy_->Log();
  const std::string token = nlohmann::json::parse(login.body).at("token");
  EXPECT_EQ(login.headers["strict-transport-security"], "max-age=31536000");

  CurlResponse worklist = Get("/api/v1/worklist", "-H " + Quote("Authorization: Bearer " + token));
  ASSERT_EQ(worklist.status, 200) << worklist.output;
  const auto items = nlohmann::json::parse(worklist.body).at("items");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["study_uid"], uids[0]);

  // Plain HTTP: a redirect to the same path on the HTTPS port, nothing forwarded.
  CurlResponse plain =
      Curl(proxy_->ca_file(), "'http://localhost:" + std::to_string(proxy_->redirect_port) +
                                  "/api/v1/worklist?limit=5'");
  EXPECT_EQ(plain.status, 301) << plain.output;
  EXPECT_EQ(plain.headers["location"], base_ + "/api/v1/worklist?limit=5");

  // A body over telerad's http_max_request_bytes is refused by the proxy in telerad's format.
  CurlResponse big = Get("/api/v1/auth/login", "-H 'Content-Length: 1048577' -d x");
  EXPECT_EQ(big.status, 413) << big.output;
  EXPECT_NE(big.body.find("\"code\":\"payload_too_large\""), std::string::npos) << big.body;
}

TEST_F(HttpsProxyTest, OnlyTls12AndNewerAreAccepted) {
  EXPECT_EQ(Handshake(proxy_->https_port, "-tls1_2"), 0);
  EXPECT_EQ(Handshake(proxy_->https_port, "-tls1_3"), 0);
  EXPECT_NE(Handshake(proxy_->https_port, "-tls1_1"), 0);
  EXPECT_NE(Handshake(proxy_->https_port, "-tls1"), 0);
}

// TELERAD_HTTPS_REQUEST_TIMEOUT is 2 s here (10 s by default): a client that sends half a
// request is disconnected by the proxy then, and telerad never sees it.
TEST_F(HttpsProxyTest, ASlowClientIsCutOffWhileOthersAreServed) {
  std::string answer;
  int served = 0;
  const double seconds = SecondsUntilClosed(
      proxy_->https_port, "GET /api/v1/worklist HTTP/1.1\r\nHost: localhost\r\nX-Slow: ", 15,
      &answer, [&] { served = Get("/readyz").status; });
  EXPECT_EQ(served, 200);
  EXPECT_GE(seconds, 1.5) << answer;
  EXPECT_LE(seconds, 6.0) << answer;
  EXPECT_NE(answer.find("408"), std::string::npos) << answer;
  EXPECT_EQ(Get("/readyz").status, 200);
  EXPECT_EQ(Http("GET", server_->http_port, "/readyz").status, 200);
}

// What reaches the backend: a recording backend stands in for telerad, and the proxy
// uses a certificate and key given to the script (TELERAD_HTTPS_CERT, TELERAD_HTTPS_KEY).
TEST(HttpsProxyHeadersTest, ClientForwardingHeadersAreReplacedByTheProxys) {
  if (!HttpsToolsInstalled()) GTEST_SKIP() << "haproxy or openssl not installed";
  const std::string keys = MakeTempDir("telerad-https-keys");
  CommandResult made = RunCommand(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
      "-subj /CN=localhost -addext subjectAltName=DNS:localhost -keyout " +
      Quote(keys + "/key.pem") + " -out " + Quote(keys + "/cert.pem"));
  ASSERT_EQ(made.exit_code, 0) << made.output;
  RecordingBackend backend;
  HttpsProxy proxy(
      "127.0.0.1:" + std::to_string(backend.port()),
      {{"TELERAD_HTTPS_CERT", keys + "/cert.pem"}, {"TELERAD_HTTPS_KEY", keys + "/key.pem"}});
  ASSERT_TRUE(proxy.WaitUntilForwarding()) << proxy.Log();

  CurlResponse r = Curl(proxy.ca_file(),
                        "-H 'X-Forwarded-For: 203.0.113.9' -H 'X-Forwarded-Proto: http' "
                        "-H 'Forwarded: for=203.0.113.9' -H 'X-Real-IP: 203.0.113.9' "
                        "https://localhost:" +
                            std::to_string(proxy.https_port) + "/api/v1/echo");
  ASSERT_EQ(r.status, 200) << r.output << proxy.Log();
  std::string seen;
  for (const auto& request : backend.Requests())
    if (request.rfind("GET /api/v1/echo ", 0) == 0) seen = request;
  ASSERT_FALSE(seen.empty());
  std::string lower = seen + "\r\n";  // every header line ends in CRLF
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(lower.find("203.0.113.9"), std::string::npos) << seen;
  EXPECT_NE(lower.find("\r\nx-forwarded-for: 127.0.0.1\r\n"), std::string::npos) << seen;
  EXPECT_EQ(lower.find("x-forwarded-for"), lower.rfind("x-forwarded-for")) << seen;  // once
  EXPECT_NE(lower.find("\r\nx-forwarded-proto: https"), std::string::npos) << seen;
  EXPECT_EQ(lower.find("x-forwarded-proto: http\r\n"), std::string::npos) << seen;
  std::filesystem::remove_all(keys);
}

}  // namespace
}  // namespace telerad::testing
