// Demo accounts (issue 12, "Safe defaults"): their password is published, so they must
// not open a session from any other machine. Played from the machine's own non-loopback
// address (a peer that is not 127.0.0.0/8 or ::1), and from loopback through a proxy, and
// with a forged X-Forwarded-For: each gets exactly a wrong password's answer, while the
// same login from loopback works and a real account signs in from anywhere.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

// The first IPv4 address of this machine outside 127.0.0.0/8, "" when it has none.
std::string NonLoopbackAddress() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return "";
  std::string found;
  for (ifaddrs* a = list; a && found.empty(); a = a->ifa_next) {
    if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
    const in_addr ip = reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr;
    if ((ntohl(ip.s_addr) >> 24) == 127) continue;
    char text[INET_ADDRSTRLEN];
    if (::inet_ntop(AF_INET, &ip, text, sizeof(text))) found = text;
  }
  ::freeifaddrs(list);
  return found;
}

class DemoLoopbackTest : public ServerTest {
 protected:
  DemoLoopbackTest() { options_.env["TELERAD_HTTP_BIND"] = "0.0.0.0"; }

  // POST /auth/login to `host` from source address `from`; status and body.
  std::pair<int, std::string> LoginFrom(const std::string& from, const std::string& host,
                                        const std::string& username, const std::string& password,
                                        const std::string& header = "") {
    const std::string body = nlohmann::json{{"username", username}, {"password", password}}.dump();
    std::string cmd = "curl -s -m 20 -w '\\n%{http_code}' --interface " + Quote(from) +
                      " -H 'Content-Type: application/json' --data-binary " + Quote(body);
    if (!header.empty()) cmd += " -H " + Quote(header);
    cmd += " " + Quote("http://" + host + ":" + std::to_string(server_->http_port) +
                       "/api/v1/auth/login");
    const std::string out = RunCommand(cmd).output;
    const auto nl = out.rfind('\n');
    if (nl == std::string::npos) return {0, out};
    return {std::atoi(out.c_str() + nl + 1), out.substr(0, nl)};
  }
};

TEST_F(DemoLoopbackTest, DemoAdminIsRefusedFromAnotherAddressAndWorksOnLoopback) {
  const std::string remote = NonLoopbackAddress();
  if (remote.empty()) GTEST_SKIP() << "this machine has no non-loopback IPv4 address";
  const std::string kDemo = "telerad-demo";

  // From the machine's own network address: the demo admin's right password answers
  // exactly as a wrong one does.
  const auto refused = LoginFrom(remote, remote, "admin", kDemo);
  const auto wrong = LoginFrom(remote, remote, "admin", "not-the-password");
  EXPECT_EQ(refused.first, 401) << refused.second;
  EXPECT_EQ(refused.second, wrong.second);
  EXPECT_EQ(refused.second.find("token"), std::string::npos);
  // A forged header does not make a remote client local.
  EXPECT_EQ(LoginFrom(remote, remote, "rad1", kDemo, "X-Forwarded-For: 127.0.0.1").first, 401);
  // Through a proxy on this machine (a loopback peer that forwards for someone else):
  // refused as well, whatever address the proxy names.
  EXPECT_EQ(LoginFrom("127.0.0.1", "127.0.0.1", "admin", kDemo, "X-Forwarded-For: 127.0.0.1").first,
            401);
  EXPECT_EQ(LoginFrom("127.0.0.1", "127.0.0.1", "admin", kDemo, "Forwarded: for=203.0.113.9").first,
            401);

  // Each refusal is audited with the real peer address, and logged for the operator.
  EXPECT_NE(db_.Scalar("SELECT count(*) FROM audit_event WHERE action = 'auth.login' AND "
                       "username = 'admin' AND outcome = 'unauthenticated' AND remote_addr = '" +
                       remote + "'"),
            "0");
  EXPECT_NE(server_->Log().find("event=demo_login_refused username=admin"), std::string::npos);

  // A real (non-demo) account signs in from the other address: only demo accounts are bound.
  AddUser("chief", "admin");
  EXPECT_EQ(LoginFrom(remote, remote, "chief", kDemo).first, 200);

  // On loopback, without a proxy, the demo admin works, and the server is alive.
  const auto local = LoginFrom("127.0.0.1", "127.0.0.1", "admin", kDemo);
  EXPECT_EQ(local.first, 200) << local.second;
  EXPECT_EQ(Http("GET", server_->http_port, "/readyz").status, 200);
  EXPECT_EQ(::kill(server_->pid(), 0), 0);
}

// A server configured to sit behind a proxy: a proxy that adds no forwarding header
// (stunnel, ssh -L, haproxy in TCP mode) would make every client look like loopback, so
// demo accounts open nothing at all there, while real accounts work.
class DemoBehindProxyTest : public DemoLoopbackTest {
 protected:
  DemoBehindProxyTest() { options_.env["TELERAD_HTTP_TRUSTED_PROXIES"] = "10.0.0.0/8"; }
};

TEST_F(DemoBehindProxyTest, DemoAccountsOpenNothingOnAServerBehindAProxy) {
  EXPECT_EQ(LoginFrom("127.0.0.1", "127.0.0.1", "admin", "telerad-demo").first, 401);
  AddUser("chief", "admin");
  EXPECT_EQ(LoginFrom("127.0.0.1", "127.0.0.1", "chief", "telerad-demo").first, 200);
  EXPECT_EQ(Http("GET", server_->http_port, "/readyz").status, 200);
}

}  // namespace
}  // namespace telerad::testing
