// IpNetwork: an IPv4 or IPv6 address block written as CIDR ("10.0.0.0/8", "fd00::/8") or
// as one address (a /32 or /128). IPv4 is held as its IPv4-mapped IPv6 form
// (::ffff:a.b.c.d, RFC 4291 section 2.5.5.2), so "10.0.0.0/8" also contains
// "::ffff:10.1.2.3", the form a dual-stack socket reports an IPv4 peer in. Pure values
// and functions, safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/base/status.h"

namespace telerad {

using IpAddress = std::array<uint8_t, 16>;  // IPv6 byte order; IPv4 as ::ffff:a.b.c.d

struct IpNetwork {
  IpAddress base{};    // with the bits past the prefix cleared
  int prefix_len = 0;  // 0..128, counted on the IPv6 form
};

// Dotted-quad IPv4 (exactly four decimal parts) or IPv6 text (inet_pton's forms), with
// optional [brackets] around IPv6; nullopt for anything else (zone ids, ports, spaces).
std::optional<IpAddress> ParseIpAddress(std::string_view text);

// "address" or "address/prefix" (prefix 0..32 for IPv4, 0..128 for IPv6, decimal
// without sign or leading zeros). Bits set past the prefix are refused
// (kInvalidArgument): "10.0.0.1/8" is more likely a typo than a network.
Result<IpNetwork> ParseIpNetwork(std::string_view text);

// Whether `address` (as ParseIpAddress reads it) lies in `network`; false when it does
// not parse.
bool Contains(const IpNetwork& network, std::string_view address);
bool Contains(const IpNetwork& network, const IpAddress& address);

// Whether `address` lies in any of `networks`.
bool ContainsAny(const std::vector<IpNetwork>& networks, std::string_view address);

// Whether `address` is a loopback address: 127.0.0.0/8 (also IPv4-mapped) or ::1.
// False for anything that does not parse, names included.
bool IsLoopbackAddress(std::string_view address);

// The network in canonical CIDR form ("10.1.0.0/16", "2001:db8::/32"); a block inside
// ::ffff:0:0/96 is written as IPv4, as an operator typed it.
std::string ToString(const IpNetwork& network);

}  // namespace telerad
