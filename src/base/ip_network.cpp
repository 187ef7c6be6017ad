#include "src/base/ip_network.h"

#include <arpa/inet.h>

#include <cstring>
#include <optional>

namespace telerad {
namespace {

constexpr int kMappedPrefix = 96;  // ::ffff:0:0/96 holds the IPv4-mapped addresses

struct Address {
  std::array<uint8_t, 16> bytes{};
  bool ipv4 = false;
};

// IPv4 text becomes its IPv4-mapped IPv6 form.
std::optional<Address> ParseAddress(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  Address a;
  in_addr v4{};
  if (::inet_pton(AF_INET, buf, &v4) == 1) {
    a.bytes[10] = 0xff;
    a.bytes[11] = 0xff;
    std::memcpy(&a.bytes[12], &v4, 4);
    a.ipv4 = true;
    return a;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, buf, &v6) == 1) {
    std::memcpy(a.bytes.data(), &v6, 16);
    return a;
  }
  return std::nullopt;
}

std::optional<int> ParsePrefix(std::string_view text, int max) {
  if (text.empty() || text.size() > 3) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > max || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  return value;
}

// True when the first `prefix` bits of a and b agree.
bool SamePrefix(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b, int prefix) {
  const int whole = prefix / 8;
  if (std::memcmp(a.data(), b.data(), static_cast<size_t>(whole)) != 0) return false;
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

bool HostBitsClear(const std::array<uint8_t, 16>& a, int prefix) {
  for (int bit = prefix; bit < 128; ++bit)
    if (a[bit / 8] & (0x80 >> (bit % 8))) return false;
  return true;
}

}  // namespace

Result<IpNetwork> ParseIpNetwork(std::string_view text) {
  const auto bad = [&](const char* why) {
    return Status::InvalidArgument("'" + std::string(text.substr(0, 64)) +
                                   "' is not a CIDR network: " + why);
  };
  const size_t slash = text.find('/');
  const auto address = ParseAddress(text.substr(0, slash));
  if (!address) return bad("expected an IPv4 or IPv6 address before '/'");
  IpNetwork net;
  net.address = address->bytes;
  net.ipv4 = address->ipv4;
  const int max = address->ipv4 ? 32 : 128;
  int prefix = max;
  if (slash != std::string_view::npos) {
    const auto parsed = ParsePrefix(text.substr(slash + 1), max);
    if (!parsed)
      return bad(address->ipv4 ? "the prefix length must be 0-32"
                               : "the prefix length must be 0-128");
    prefix = *parsed;
  }
  net.prefix_length = address->ipv4 ? prefix + kMappedPrefix : prefix;
  if (!HostBitsClear(net.address, net.prefix_length))
    return bad("address bits are set past the prefix length");
  return net;
}

bool Contains(const IpNetwork& network, std::string_view address) {
  const auto a = ParseAddress(address);
  return a && SamePrefix(network.address, a->bytes, network.prefix_length);
}

std::string ToString(const IpNetwork& network) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (network.ipv4) {
    ::inet_ntop(AF_INET, &network.address[12], buf, sizeof(buf));
    return std::string(buf) + "/" + std::to_string(network.prefix_length - kMappedPrefix);
  }
  ::inet_ntop(AF_INET6, network.address.data(), buf, sizeof(buf));
  return std::string(buf) + "/" + std::to_string(network.prefix_length);
}

}  // namespace telerad
