// ClientAddress: the address a request came from, for the audit trail, login throttling
// and logs. The TCP peer, unless the peer is one of the operator's trusted reverse
// proxies: then the right-most X-Forwarded-For entry that is not itself a trusted proxy
// (each proxy appends the address it received from, so entries right of the first
// untrusted one were written by trusted hops and entries left of it by whoever the
// client is: the algorithm of nginx's real_ip_recursive and of RFC 7239 section 7.4).
// From an untrusted peer the header is the client's own words and is ignored. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/base/ip_network.h"

namespace telerad {

// `forwarded_for` is the X-Forwarded-For field value, nullopt when absent. A trusted
// peer's header with an entry that is not an address (a port, a name, "unknown", an
// empty element) before an untrusted one is found yields the peer: a proxy that writes
// garbage is not believed in part. When every entry is trusted, the left-most one.
std::string ClientAddress(std::string_view peer,
                          const std::optional<std::string_view>& forwarded_for,
                          const std::vector<IpNetwork>& trusted_proxies);

}  // namespace telerad
