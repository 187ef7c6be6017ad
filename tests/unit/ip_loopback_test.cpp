#include <gtest/gtest.h>

#include "src/base/ip_network.h"

namespace telerad {

TEST(IpLoopbackTest, LoopbackIsOnly127SlashEightAndColonColonOne) {
  for (const char* local : {"127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "::ffff:127.0.0.1"})
    EXPECT_TRUE(IsLoopbackAddress(local)) << local;
  for (const char* remote :
       {"192.0.2.7", "10.0.0.1", "0.0.0.0", "128.0.0.1", "::", "::2", "::ffff:192.0.2.7", "fe80::1",
        "localhost", "", "127.0.0.1 ", "127.0.0.1.evil", "127.1"})
    EXPECT_FALSE(IsLoopbackAddress(remote)) << remote;
}

}  // namespace telerad
