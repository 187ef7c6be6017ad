#include "src/base/client_address.h"

namespace telerad {
namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string ClientAddress(std::string_view peer,
                          const std::optional<std::string_view>& forwarded_for,
                          const std::vector<IpNetwork>& trusted_proxies) {
  if (!forwarded_for || trusted_proxies.empty() || !ContainsAny(trusted_proxies, peer))
    return std::string(peer);
  std::string_view rest = *forwarded_for;
  std::string_view leftmost;
  while (true) {
    const size_t comma = rest.rfind(',');
    const std::string_view entry =
        TrimSpaces(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    std::optional<IpAddress> address = ParseIpAddress(entry);
    if (!address) return std::string(peer);
    bool trusted = false;
    for (const IpNetwork& n : trusted_proxies) trusted = trusted || Contains(n, *address);
    if (!trusted) return std::string(entry);
    leftmost = entry;
    if (comma == std::string_view::npos) break;
    rest = rest.substr(0, comma);
  }
  return std::string(leftmost);
}

}  // namespace telerad
