#include "src/base/ip_network.h"

#include <gtest/gtest.h>

namespace telerad {
namespace {

IpNetwork Net(const char* text) {
  auto n = ParseIpNetwork(text);
  EXPECT_TRUE(n.ok()) << text << ": " << n.status().message();
  return n.ok() ? *n : IpNetwork{};
}

TEST(IpNetworkTest, Ipv4NetworkContainsItsAddressesOnly) {
  const IpNetwork net = Net("10.1.0.0/16");
  EXPECT_TRUE(Contains(net, "10.1.0.0"));
  EXPECT_TRUE(Contains(net, "10.1.255.7"));
  EXPECT_FALSE(Contains(net, "10.2.0.1"));
  EXPECT_FALSE(Contains(net, "127.0.0.1"));
}

TEST(IpNetworkTest, PrefixNotOnAByteBoundary) {
  const IpNetwork net = Net("192.168.4.0/22");
  EXPECT_TRUE(Contains(net, "192.168.7.255"));
  EXPECT_FALSE(Contains(net, "192.168.8.0"));
  EXPECT_FALSE(Contains(net, "192.168.3.255"));
}

TEST(IpNetworkTest, BareAddressIsOneHost) {
  const IpNetwork v4 = Net("127.0.0.1");
  EXPECT_TRUE(Contains(v4, "127.0.0.1"));
  EXPECT_FALSE(Contains(v4, "127.0.0.2"));
  const IpNetwork v6 = Net("::1");
  EXPECT_TRUE(Contains(v6, "::1"));
  EXPECT_FALSE(Contains(v6, "::2"));
}

TEST(IpNetworkTest, ZeroPrefixContainsEverythingOfItsFamily) {
  EXPECT_TRUE(Contains(Net("0.0.0.0/0"), "203.0.113.9"));
  EXPECT_FALSE(Contains(Net("0.0.0.0/0"), "2001:db8::1"));
  EXPECT_TRUE(Contains(Net("::/0"), "2001:db8::1"));
}

TEST(IpNetworkTest, Ipv6Network) {
  const IpNetwork net = Net("2001:db8:aa00::/40");
  EXPECT_TRUE(Contains(net, "2001:db8:aaff::1"));
  EXPECT_FALSE(Contains(net, "2001:db8:ab00::1"));
}

TEST(IpNetworkTest, Ipv4MappedIpv6MatchesIpv4Network) {
  EXPECT_TRUE(Contains(Net("10.0.0.0/8"), "::ffff:10.9.8.7"));
  EXPECT_FALSE(Contains(Net("10.0.0.0/8"), "::ffff:11.9.8.7"));
  EXPECT_TRUE(Contains(Net("::ffff:10.0.0.0/104"), "10.200.0.1"));
}

TEST(IpNetworkTest, RejectsMalformedText) {
  for (const char* bad :
       {"", "/", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0/8", "10.0.0.0/8/8", "10.0.0.0/-1",
        "10.0.0.0/08", "host.example/24", "10.0.0.0 /8", "fe80::1%eth0/64", "10.0.0.0/1x"}) {
    auto n = ParseIpNetwork(bad);
    EXPECT_FALSE(n.ok()) << bad;
    if (!n.ok()) {
      EXPECT_EQ(n.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST(IpNetworkTest, RejectsBitsPastThePrefix) {
  EXPECT_FALSE(ParseIpNetwork("10.1.2.3/16").ok());
  EXPECT_FALSE(ParseIpNetwork("2001:db8::1/64").ok());
  EXPECT_TRUE(ParseIpNetwork("10.1.0.0/16").ok());
}

TEST(IpNetworkTest, ContainsIsFalseForNonAddresses) {
  const IpNetwork net = Net("0.0.0.0/0");
  EXPECT_FALSE(Contains(net, ""));
  EXPECT_FALSE(Contains(net, "localhost"));
  EXPECT_FALSE(Contains(net, "10.0.0.1/32"));
}

TEST(IpNetworkTest, ToStringIsCanonical) {
  EXPECT_EQ(ToString(Net("10.1.0.0/16")), "10.1.0.0/16");
  EXPECT_EQ(ToString(Net("127.0.0.1")), "127.0.0.1/32");
  EXPECT_EQ(ToString(Net("2001:0db8:0000::/32")), "2001:db8::/32");
}

}  // namespace
}  // namespace telerad
