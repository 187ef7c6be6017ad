#include "src/base/ip_network.h"

#include <arpa/inet.h>

#include <cstring>

namespace telerad {
namespace {

constexpr size_t kMaxAddressText = 64;  // longer than any IPv6 text form

// Strict dotted quad: inet_pton(AF_INET) already refuses short forms ("10.1") and
// octal-looking parts on glibc, but the rule is spelled out here so it does not depend
// on the C library: four parts of 1-3 digits, each <= 255, no leading zero.
bool ParseIpv4(std::string_view text, IpAddress& out) {
  out = IpAddress{};
  out[10] = 0xff;
  out[11] = 0xff;
  int part = 0;
  size_t i = 0;
  while (part < 4) {
    size_t digits = 0;
    unsigned value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 4) {
      value = value * 10 + static_cast<unsigned>(text[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0 || digits > 3 || value > 255) return false;
    if (digits > 1 && text[i - digits] == '0') return false;
    out[12 + part] = static_cast<uint8_t>(value);
    ++part;
    if (part < 4) {
      if (i >= text.size() || text[i] != '.') return false;
      ++i;
    }
  }
  return i == text.size();
}

bool ParseIpv6(std::string_view text, IpAddress& out) {
  if (text.size() >= kMaxAddressText) return false;
  for (char c : text) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                    c == ':' || c == '.';
    if (!ok) return false;  // no zone id, no spaces, no NUL
  }
  char buf[kMaxAddressText];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  return inet_pton(AF_INET6, buf, out.data()) == 1;
}

constexpr int kMappedPrefix = 96;  // ::ffff:0:0/96, the IPv4-mapped block

bool IsIpv4Mapped(const IpAddress& a) {
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(a.data(), kMapped, sizeof(kMapped)) == 0;
}

bool InPrefix(const IpAddress& a, const IpAddress& base, int prefix_len) {
  const int whole = prefix_len / 8;
  if (std::memcmp(a.data(), base.data(), static_cast<size_t>(whole)) != 0) return false;
  const int rest = prefix_len % 8;
  if (rest == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == base[whole];
}

}  // namespace

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() >= kMaxAddressText) return std::nullopt;
  IpAddress out{};
  if (text.find(':') == std::string_view::npos) {
    if (!ParseIpv4(text, out)) return std::nullopt;
  } else if (!ParseIpv6(text, out)) {
    return std::nullopt;
  }
  return out;
}

Result<IpNetwork> ParseIpNetwork(std::string_view text) {
  const size_t slash = text.find('/');
  const std::string_view address_text = text.substr(0, slash);
  const bool bracketed = !address_text.empty() && address_text.front() == '[';
  const bool ipv4 = address_text.find(':') == std::string_view::npos && !bracketed;
  std::optional<IpAddress> address = ParseIpAddress(address_text);
  if (!address) return Status::InvalidArgument("not an IPv4 or IPv6 address");
  IpNetwork network;
  network.prefix_len = 128;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0'))
      return Status::InvalidArgument("prefix length must be a decimal number");
    int value = 0;
    for (char c : digits) {
      if (c < '0' || c > '9')
        return Status::InvalidArgument("prefix length must be a decimal number");
      value = value * 10 + (c - '0');
    }
    if (value > (ipv4 ? 32 : 128))
      return Status::InvalidArgument(ipv4 ? "IPv4 prefix length must be 0..32"
                                          : "IPv6 prefix length must be 0..128");
    network.prefix_len = ipv4 ? 96 + value : value;
  }
  network.base = *address;
  // Bits past the prefix must be zero.
  IpAddress cleared{};
  for (int bit = 0; bit < network.prefix_len; ++bit)
    if (network.base[bit / 8] & (0x80 >> (bit % 8)))
      cleared[bit / 8] = static_cast<uint8_t>(cleared[bit / 8] | (0x80 >> (bit % 8)));
  if (cleared != network.base)
    return Status::InvalidArgument("address has bits set past the prefix length");
  return network;
}

bool Contains(const IpNetwork& network, const IpAddress& address) {
  return InPrefix(address, network.base, network.prefix_len);
}

bool Contains(const IpNetwork& network, std::string_view address) {
  std::optional<IpAddress> parsed = ParseIpAddress(address);
  return parsed && Contains(network, *parsed);
}

bool ContainsAny(const std::vector<IpNetwork>& networks, std::string_view address) {
  std::optional<IpAddress> parsed = ParseIpAddress(address);
  if (!parsed) return false;
  for (const IpNetwork& n : networks)
    if (Contains(n, *parsed)) return true;
  return false;
}

bool IsLoopbackAddress(std::string_view address) {
  // Parsed once, on first use: these literals always parse.
  static const std::vector<IpNetwork> kLoopback = {*ParseIpNetwork("127.0.0.0/8"),
                                                   *ParseIpNetwork("::1/128")};
  return ContainsAny(kLoopback, address);
}

std::string ToString(const IpNetwork& network) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (network.prefix_len >= kMappedPrefix && IsIpv4Mapped(network.base)) {
    ::inet_ntop(AF_INET, &network.base[12], buf, sizeof(buf));
    return std::string(buf) + "/" + std::to_string(network.prefix_len - kMappedPrefix);
  }
  ::inet_ntop(AF_INET6, network.base.data(), buf, sizeof(buf));
  return std::string(buf) + "/" + std::to_string(network.prefix_len);
}

}  // namespace telerad
