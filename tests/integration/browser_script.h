// What every browser test shares: the source tree, whether Debian's chromium is there,
// and running one of tests/browser/*.mjs (playwright-core from web/) against a server,
// its JSON report read from the last line of its output that is one.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace telerad::testing {

// The source tree, from the schema folder the tests are given (<source>/schema).
std::string SourceDir();

// False, with the reason in `why`, when Debian's chromium is not installed.
bool BrowserAvailable(std::string& why);

// Runs `node tests/browser/<script> --base http://127.0.0.1:<port> --out
// <build>/browser-artifacts <args>` and returns its report (an empty object, with test
// failures saying why, when it failed or printed none). Fails the test when
// web/node_modules, or with `needs_pages` the pages' build, is missing.
nlohmann::json RunBrowserScript(const std::string& script, int http_port, const std::string& args,
                                bool needs_pages = false);

}  // namespace telerad::testing
