// The viewer in a real browser: Debian's chromium, driven by tests/browser/viewer_smoke.mjs
// (playwright-core from web/), against the real server serving OHIF's dist/ from web/.
// Signs in from the page with the session cookie, reads the worklist with it, opens the
// study's viewer_url and checks that OHIF started with telerad's app-config.js and asked
// telerad's /dicomweb for the study. Screenshots are kept in <build>/browser-artifacts/.
// Skipped only when /usr/bin/chromium is absent (scripts/test installs it).
#include <unistd.h>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

// The source tree, from the schema folder the tests are given (<source>/schema).
std::string SourceDir() {
  std::string schema = SchemaDir();
  while (!schema.empty() && schema.back() == '/') schema.pop_back();
  return schema.substr(0, schema.rfind('/'));
}

class BrowserViewerTest : public ServerTest {
 protected:
  BrowserViewerTest() {
    options_.env["TELERAD_VIEWER_DIR"] = SourceDir() + "/web/node_modules/@ohif/app/dist";
  }
};

TEST_F(BrowserViewerTest, SignInOpenTheStudyFromTheWorklistAndTheViewerAsksDicomweb) {
  if (::access("/usr/bin/chromium", X_OK) != 0)
    GTEST_SKIP() << "no /usr/bin/chromium (scripts/test installs Debian's chromium)";
  ASSERT_EQ(
      ::access((SourceDir() + "/web/node_modules/playwright-core/package.json").c_str(), R_OK), 0)
      << "web/node_modules is not installed: run scripts/test (or npm ci in web/)";
  const std::vector<std::string> uids = ReadyStudies(1, 4242, "--instances 3 --rows 64 --cols 64");
  ASSERT_EQ(uids.size(), 1u);

  const std::string out = BinDir() + "/browser-artifacts";
  const CommandResult run =
      RunCommand("node " + Quote(SourceDir() + "/tests/browser/viewer_smoke.mjs") + " --base " +
                 Quote("http://127.0.0.1:" + std::to_string(server_->http_port)) + " --out " +
                 Quote(out) + " 2>&1");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto report =
      nlohmann::json::parse(run.output.substr(run.output.find("{\"")), nullptr, false);
  ASSERT_TRUE(report.is_object()) << run.output;
  std::printf("[ figures  ] browser report: %s\n", report.dump().c_str());

  EXPECT_EQ(report["login"]["status"], 200);
  ASSERT_TRUE(report["cookie"].is_object());
  EXPECT_EQ(report["cookie"]["httpOnly"], true);
  EXPECT_EQ(report["cookie"]["sameSite"], "Strict");
  EXPECT_EQ(report["script_sees_cookie"], false);
  EXPECT_EQ(report["worklist"]["status"], 200);
  EXPECT_EQ(report["worklist"]["viewer_url"], "/viewer?StudyInstanceUIDs=" + uids[0]);
  EXPECT_EQ(report["csrf_refusal"]["status"], 403);
  EXPECT_EQ(report["csrf_refusal"]["code"], "csrf_required");

  // OHIF started with telerad's configuration and asked telerad's DICOMweb for the study.
  EXPECT_EQ(report["app"]["qidoRoot"], "/dicomweb");
  EXPECT_GT(report["app"]["root_children"].get<int>(), 0);
  bool asked_for_study = false;
  for (const auto& request : report["dicomweb_requests"])
    if (request.get<std::string>().find(uids[0]) != std::string::npos) asked_for_study = true;
  EXPECT_TRUE(asked_for_study) << report["dicomweb_requests"].dump();
  for (const auto& shot : report["screenshots"])
    EXPECT_EQ(::access(shot.get<std::string>().c_str(), R_OK), 0) << shot;
}

}  // namespace
}  // namespace telerad::testing
