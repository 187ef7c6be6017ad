// Client address checks that do not need a socket.
#pragma once

#include <string>

namespace telerad {

// True for an IPv4 address in 127.0.0.0/8, IPv6 ::1, and IPv4-mapped 127.x (::ffff:127.0.0.1),
// in their textual form as the socket layer reports them. False for anything else,
// names and malformed text included.
bool IsLoopbackAddress(const std::string& address);

}  // namespace telerad
