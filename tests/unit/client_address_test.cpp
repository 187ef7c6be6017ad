#include "src/base/client_address.h"

#include <gtest/gtest.h>

namespace telerad {
namespace {

std::vector<IpNetwork> Trusted(std::initializer_list<const char*> texts) {
  std::vector<IpNetwork> out;
  for (const char* t : texts) out.push_back(*ParseIpNetwork(t));
  return out;
}

TEST(ClientAddress, WithoutTrustedProxiesTheHeaderIsIgnored) {
  EXPECT_EQ(ClientAddress("198.51.100.7", "203.0.113.1", {}), "198.51.100.7");
  EXPECT_EQ(ClientAddress("198.51.100.7", std::nullopt, {}), "198.51.100.7");
}

// The attacker's case: a client that is not a proxy writes X-Forwarded-For itself.
TEST(ClientAddress, AnUntrustedPeersHeaderIsIgnored) {
  const auto proxies = Trusted({"10.0.0.5"});
  EXPECT_EQ(ClientAddress("198.51.100.7", "10.0.0.5", proxies), "198.51.100.7");
  EXPECT_EQ(ClientAddress("198.51.100.7", "203.0.113.1, 10.0.0.5", proxies), "198.51.100.7");
}

TEST(ClientAddress, ATrustedProxyGivesTheRightMostUntrustedEntry) {
  const auto proxies = Trusted({"10.0.0.0/8"});
  EXPECT_EQ(ClientAddress("10.0.0.5", "203.0.113.1", proxies), "203.0.113.1");
  // The client prepended a lie; the proxy appended what it saw: the lie is left of it.
  EXPECT_EQ(ClientAddress("10.0.0.5", "192.0.2.66, 203.0.113.1", proxies), "203.0.113.1");
  // Two trusted hops: the first address no trusted proxy wrote.
  EXPECT_EQ(ClientAddress("10.0.0.5", "192.0.2.66,203.0.113.1 , 10.1.1.1", proxies), "203.0.113.1");
  EXPECT_EQ(ClientAddress("10.0.0.5", "2001:db8::7", proxies), "2001:db8::7");
  EXPECT_EQ(ClientAddress("::ffff:10.0.0.5", "203.0.113.1", proxies), "203.0.113.1");
}

TEST(ClientAddress, EveryEntryTrustedGivesTheLeftMost) {
  EXPECT_EQ(ClientAddress("10.0.0.5", "10.2.2.2, 10.1.1.1", Trusted({"10.0.0.0/8"})), "10.2.2.2");
}

TEST(ClientAddress, AMalformedHeaderFromATrustedProxyGivesThePeer) {
  const auto proxies = Trusted({"10.0.0.5"});
  for (const char* bad : {"", " ", "unknown", "203.0.113.1:4711", "203.0.113.1,",
                          "203.0.113.1, , 10.0.0.5", "host.example", "[2001:db8::1]:80"}) {
    EXPECT_EQ(ClientAddress("10.0.0.5", std::string_view(bad), proxies), "10.0.0.5") << bad;
  }
  // Garbage left of the first untrusted entry was never walked to: the entry stands.
  EXPECT_EQ(ClientAddress("10.0.0.5", "garbage, 203.0.113.1", proxies), "203.0.113.1");
  // No header from a trusted proxy: the peer.
  EXPECT_EQ(ClientAddress("10.0.0.5", std::nullopt, proxies), "10.0.0.5");
}

}  // namespace
}  // namespace telerad
