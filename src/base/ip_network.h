// IpNetwork: an IP network in CIDR notation (IPv4 "10.1.0.0/16", IPv6 "fd00::/8"), and
// whether an address lies inside it. An IPv4 address and its IPv4-mapped IPv6 form
// ("::ffff:10.1.2.3") are the same address, so a dual-stack socket's peer matches an
// IPv4 network.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "src/base/status.h"

namespace telerad {

struct IpNetwork {
  // IPv4 networks are kept in their IPv4-mapped IPv6 form (prefix + 96).
  std::array<uint8_t, 16> address{};
  int prefix_length = 0;  // 0-128, of `address`
  bool ipv4 = false;      // written as IPv4: ToString() gives it back that way
};

// "a.b.c.d/n" (n 0-32), "ipv6/n" (n 0-128), or a bare address (one host: /32 or /128).
// kInvalidArgument for anything else, and for a network with bits set past its prefix
// ("10.1.2.3/16": probably a typing mistake; write 10.1.0.0/16).
Result<IpNetwork> ParseIpNetwork(std::string_view text);

// True when `address` (IPv4, IPv6 or IPv4-mapped IPv6 text, as a socket's peer is
// printed) lies in `network`; false for text that is no address.
bool Contains(const IpNetwork& network, std::string_view address);

// The network in canonical CIDR form ("10.1.0.0/16", "fd00::/8").
std::string ToString(const IpNetwork& network);

}  // namespace telerad
