#include "src/base/ip_network.h"

#include <gtest/gtest.h>

namespace telerad {
namespace {

IpNetwork Net(const char* text) {
  auto n = ParseIpNetwork(text);
  EXPECT_TRUE(n.ok()) << text << ": " << n.status().ToString();
  return n.ok() ? *n : IpNetwork{};
}

TEST(IpNetwork, Ipv4BlocksContainTheirAddressesOnly) {
  const IpNetwork ten = Net("10.0.0.0/8");
  EXPECT_TRUE(Contains(ten, "10.0.0.0"));
  EXPECT_TRUE(Contains(ten, "10.255.255.255"));
  EXPECT_FALSE(Contains(ten, "11.0.0.0"));
  EXPECT_FALSE(Contains(ten, "9.255.255.255"));
  const IpNetwork odd = Net("192.168.4.0/22");
  EXPECT_TRUE(Contains(odd, "192.168.7.200"));
  EXPECT_FALSE(Contains(odd, "192.168.8.1"));
  EXPECT_FALSE(Contains(odd, "192.168.3.255"));
}

TEST(IpNetwork, ASingleAddressIsItsOwnBlock) {
  const IpNetwork one = Net("127.0.0.1");
  EXPECT_TRUE(Contains(one, "127.0.0.1"));
  EXPECT_FALSE(Contains(one, "127.0.0.2"));
  const IpNetwork six = Net("::1");
  EXPECT_TRUE(Contains(six, "::1"));
  EXPECT_TRUE(Contains(six, "[::1]"));
  EXPECT_FALSE(Contains(six, "::2"));
}

TEST(IpNetwork, Ipv6BlocksCompareOnTheirPrefix) {
  const IpNetwork ula = Net("fd00::/8");
  EXPECT_TRUE(Contains(ula, "fd12:3456::1"));
  EXPECT_FALSE(Contains(ula, "fe80::1"));
  const IpNetwork doc = Net("2001:db8:abcd:12::/63");
  EXPECT_TRUE(Contains(doc, "2001:db8:abcd:13:ffff::1"));
  EXPECT_FALSE(Contains(doc, "2001:db8:abcd:14::1"));
}

// A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d: an IPv4 block matches it,
// and an IPv4-mapped block matches the dotted form.
TEST(IpNetwork, Ipv4MappedAddressesMatchIpv4Blocks) {
  EXPECT_TRUE(Contains(Net("10.0.0.0/8"), "::ffff:10.1.2.3"));
  EXPECT_TRUE(Contains(Net("::ffff:10.0.0.0/104"), "10.200.0.1"));
  EXPECT_FALSE(Contains(Net("10.0.0.0/8"), "::ffff:11.1.2.3"));
  // An IPv4 block never matches a plain IPv6 address that merely ends in the same bytes.
  EXPECT_FALSE(Contains(Net("10.0.0.0/8"), "::10.1.2.3"));
}

TEST(IpNetwork, ZeroPrefixesMatchEverythingOfTheirFamily) {
  EXPECT_TRUE(Contains(Net("0.0.0.0/0"), "203.0.113.9"));
  EXPECT_FALSE(Contains(Net("0.0.0.0/0"), "2001:db8::1"));
  EXPECT_TRUE(Contains(Net("::/0"), "2001:db8::1"));
}

TEST(IpNetwork, RefusesWhatIsNotANetwork) {
  for (const char* bad : {"",
                          "/8",
                          "10.0.0.0/",
                          "10.0.0.0/33",
                          "::/129",
                          "10.0.0.0/-1",
                          "10.0.0.0/08",
                          "10.0.0.0/+8",
                          "10.0.0",
                          "10.0.0.0.0",
                          "010.0.0.0",
                          "256.0.0.0",
                          "10.0.0.0 /8",
                          " 10.0.0.0",
                          "10.0.0.0/8 ",
                          "10.0.0.1/8",
                          "fd00::1/8",
                          "fe80::1%eth0",
                          "host.example",
                          "1.2.3.4:80",
                          "[::1]:80",
                          "::ffff:10.0.0.0/8x",
                          "1::2::3",
                          "10.0.0.0/8/8"}) {
    EXPECT_FALSE(ParseIpNetwork(bad).ok()) << bad;
  }
  EXPECT_FALSE(Contains(Net("10.0.0.0/8"), "10.0.0.1:80"));
  EXPECT_FALSE(Contains(Net("10.0.0.0/8"), "unknown"));
}

TEST(IpNetwork, ContainsAnyLooksAtEveryBlock) {
  const std::vector<IpNetwork> trusted = {Net("10.0.0.0/8"), Net("fd00::/8")};
  EXPECT_TRUE(ContainsAny(trusted, "10.9.9.9"));
  EXPECT_TRUE(ContainsAny(trusted, "fd00::9"));
  EXPECT_FALSE(ContainsAny(trusted, "192.0.2.1"));
  EXPECT_FALSE(ContainsAny({}, "10.9.9.9"));
}

TEST(IpNetwork, PrefixNotOnAByteBoundary) {
  const IpNetwork net = Net("192.168.4.0/22");
  EXPECT_TRUE(Contains(net, "192.168.7.255"));
  EXPECT_FALSE(Contains(net, "192.168.8.0"));
  EXPECT_FALSE(Contains(net, "192.168.3.255"));
}

TEST(IpNetwork, RejectsMalformedText) {
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

TEST(IpNetwork, ContainsIsFalseForNonAddresses) {
  const IpNetwork net = Net("0.0.0.0/0");
  EXPECT_FALSE(Contains(net, ""));
  EXPECT_FALSE(Contains(net, "localhost"));
  EXPECT_FALSE(Contains(net, "10.0.0.1/32"));
}

TEST(IpNetwork, ToStringIsCanonical) {
  EXPECT_EQ(ToString(Net("10.1.0.0/16")), "10.1.0.0/16");
  EXPECT_EQ(ToString(Net("127.0.0.1")), "127.0.0.1/32");
  EXPECT_EQ(ToString(Net("2001:0db8:0000::/32")), "2001:db8::/32");
}

}  // namespace
}  // namespace telerad
