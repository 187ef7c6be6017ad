#include "tests/integration/browser_script.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>

#include "tests/integration/harness.h"

namespace telerad::testing {

std::string SourceDir() {
  std::string schema = SchemaDir();
  while (!schema.empty() && schema.back() == '/') schema.pop_back();
  return schema.substr(0, schema.rfind('/'));
}

bool BrowserAvailable(std::string& why) {
  if (::access("/usr/bin/chromium", X_OK) != 0) {
    why = "no /usr/bin/chromium (scripts/test installs Debian's chromium)";
    return false;
  }
  return true;
}

nlohmann::json RunBrowserScript(const std::string& script, int http_port, const std::string& args,
                                bool needs_pages) {
  EXPECT_EQ(
      ::access((SourceDir() + "/web/node_modules/playwright-core/package.json").c_str(), R_OK), 0)
      << "web/node_modules is not installed: run scripts/test (or npm ci in web/)";
  if (needs_pages) {
    EXPECT_EQ(::access((SourceDir() + "/pages/dist/index.html").c_str(), R_OK), 0)
        << "the pages are not built: run scripts/test (or node pages/build.mjs)";
  }
  const CommandResult run =
      RunCommand("node " + Quote(SourceDir() + "/tests/browser/" + script) + " --base " +
                 Quote("http://127.0.0.1:" + std::to_string(http_port)) + " --out " +
                 Quote(BinDir() + "/browser-artifacts") + " " + args + " 2>&1");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  // The report is the script's last line that is a JSON object; the browser's own
  // messages may come before it.
  nlohmann::json report;
  std::istringstream lines(run.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() != '{') continue;
    auto parsed = nlohmann::json::parse(line, nullptr, false);
    if (parsed.is_object()) report = std::move(parsed);
  }
  EXPECT_TRUE(report.is_object()) << "node said (" << run.output.size()
                                  << " bytes): " << run.output;
  // pages_harness.mjs turns a script's exception into "error": the phase it failed in.
  EXPECT_FALSE(report.contains("error")) << script << " failed: " << report["error"];
  std::printf("[ figures  ] %s report: %s\n", script.c_str(), report.dump().c_str());
  return report.is_object() ? report : nlohmann::json::object();
}

}  // namespace telerad::testing
