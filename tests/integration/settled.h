// Waiting for the landing settler (README, "Durability"): a file acknowledged with
// Success is durable in `<storage>/landing/` first and is moved to `<storage>/<key>`
// within about a second (landing_settle_interval_ms). Tests that open a stored file by
// its key, or compare files across sends, wait for that move first.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "tests/integration/harness.h"

namespace telerad::testing {

// Waits (up to 10 s) until nothing is left in `<storage>/landing`; fails the test if
// something is.
inline void WaitUntilSettled(const std::string& storage) {
  const std::string landing = storage + "/landing";
  for (int i = 0; i < 200; ++i) {
    if (!std::filesystem::exists(landing) || FilesIn(landing).empty()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "files still landed after 10 s in " << landing;
}

}  // namespace telerad::testing
