// Fuzzes the CIDR and address parser (src/base/ip_network.h) and the X-Forwarded-For walk
// (src/base/client_address.h). Input: first line a network, second line a peer, the rest
// an X-Forwarded-For value. Whatever parses as a network must contain its own base, and
// the client address is always the peer or an address the header holds.
#include <cstdint>
#include <string>

#include "src/base/client_address.h"
#include "src/base/ip_network.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const size_t first = text.find('\n');
  const std::string network_text = text.substr(0, first);
  auto network = telerad::ParseIpNetwork(network_text);
  if (network.ok() && !telerad::Contains(*network, network->base)) __builtin_trap();
  (void)telerad::ParseIpAddress(text);
  if (first == std::string::npos || !network.ok()) return 0;
  const size_t second = text.find('\n', first + 1);
  const std::string peer = text.substr(first + 1, second - first - 1);
  const std::string header = second == std::string::npos ? "" : text.substr(second + 1);
  const std::string client = telerad::ClientAddress(peer, header, {*network});
  if (client != peer &&
      (!telerad::ParseIpAddress(client) || header.find(client) == std::string::npos))
    __builtin_trap();
  return 0;
}
