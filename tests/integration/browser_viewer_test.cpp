// The viewer in a real browser: Debian's chromium, driven by tests/browser/viewer_smoke.mjs
// (playwright-core from web/), against the real server serving OHIF's dist/ from web/.
// Signs in from the page with the session cookie, reads the worklist with it, opens the
// study's viewer_url and checks that OHIF started with telerad's app-config.js, asked
// telerad's /dicomweb for the study, drew a CT slice and drew another one after a scroll.
// A facility user sees none of another facility's images or studies in the viewer.
// Screenshots are kept in <build>/browser-artifacts/ (viewer-ct.png, viewer-ct-scrolled.png).
// Skipped only when /usr/bin/chromium is absent (scripts/test installs it).
#include <unistd.h>

#include <chrono>
#include <thread>

#include "tests/integration/browser_script.h"
#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class BrowserViewerTest : public ServerTest {
 protected:
  BrowserViewerTest() {
    options_.env["TELERAD_VIEWER_DIR"] = SourceDir() + "/web/node_modules/@ohif/app/dist";
  }

  // Runs tests/browser/viewer_smoke.mjs with `args` and returns its JSON report.
  nlohmann::json RunSmoke(const std::string& args) {
    return RunBrowserScript("viewer_smoke.mjs", server_->http_port, args);
  }
};

bool Contains(const nlohmann::json& list, const std::string& value) {
  for (const auto& item : list)
    if (item.is_string() && item.get<std::string>().find(value) != std::string::npos) return true;
  return false;
}

TEST_F(BrowserViewerTest, SignInOpenACtFromTheWorklistSeeASliceAndScroll) {
  std::string why;
  if (!BrowserAvailable(why)) GTEST_SKIP() << why;
  // A CT series whose slices differ (tests/tools/gen_dicom.cpp shifts the pattern per
  // instance), 40 slices of 512x512 as a scanner sends them.
  const std::vector<std::string> uids =
      ReadyStudies(1, 4242, "--modality CT --instances 40 --rows 512 --cols 512");
  ASSERT_EQ(uids.size(), 1u);

  const nlohmann::json report = RunSmoke("--shots viewer-ct");
  ASSERT_FALSE(report.empty());

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

  // A slice is drawn (not a blank or uniform viewport), and the wheel shows another one.
  EXPECT_EQ(report["image"]["drawn"], true) << report["image"].dump();
  EXPECT_EQ(report["image"]["scrolled_changed"], true) << report["image"].dump();
  // The series thumbnail came as a JPEG telerad rendered, not as a frame the browser decoded.
  ASSERT_FALSE(report["thumbnails"].empty()) << report["dicomweb_requests"].dump();
  EXPECT_EQ(report["thumbnails"][0]["status"], 200);
  EXPECT_EQ(report["thumbnails"][0]["type"], "image/jpeg");
  // Nothing the viewer asked of telerad failed but the deliberate CSRF refusal.
  for (const auto& failed : report["failed_responses"])
    EXPECT_EQ(failed, "403 POST /api/v1/auth/logout") << report["failed_responses"].dump();
}

TEST_F(BrowserViewerTest, AFacilityUserSeesNoImagesNorPriorStudiesOfAnotherFacility) {
  std::string why;
  if (!BrowserAvailable(why)) GTEST_SKIP() << why;
  db_.Scalar(
      "INSERT INTO facility (code, name, aimag, ae_title) VALUES ('OTHER', 'Өөр эмнэлэг', "
      "'Дорнод', 'OTHER_SCU')");
  // One patient, one study at fac1's facility (DEMO) and one at another facility.
  const std::string args = "--modality CT --instances 2 --rows 64 --cols 64 --patient-id SHARED7";
  const std::vector<std::string> own = ReadyStudies(1, 4301, args);
  ASSERT_EQ(own.size(), 1u);
  const std::string dir = data_ + "/other";
  const std::vector<std::string> other = Generate(dir, "--studies 1 --seed 4302 " + args);
  ASSERT_EQ(other.size(), 1u);
  ASSERT_TRUE(StoreScu(server_->dicom_port, FilesIn(dir), "OTHER_SCU").failed.empty());
  for (int i = 0; i < 100 && db_.Scalar("SELECT count(*) FROM study WHERE status = 'ready'") != "2";
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(db_.Scalar("SELECT count(*) FROM study WHERE status = 'ready'"), "2");

  // The other facility's study, opened by its URL: nothing to draw, nothing listed.
  const nlohmann::json foreign =
      RunSmoke("--user fac1 --open " + Quote("/viewer?StudyInstanceUIDs=" + other[0]) +
               " --shots fac1-other-facility --draw-timeout-ms 15000");
  ASSERT_FALSE(foreign.empty());
  EXPECT_EQ(foreign["image"]["drawn"], false) << foreign["image"].dump();
  EXPECT_FALSE(Contains(foreign["qido_study_uids"], other[0])) << foreign.dump();

  // Its own study: drawn, and the patient's studies the viewer lists (QIDO by PatientID,
  // OHIF's study browser) hold its own and not the other facility's.
  const nlohmann::json mine = RunSmoke(
      "--user fac1 --open " + Quote("/viewer?StudyInstanceUIDs=" + own[0]) + " --shots fac1-own");
  ASSERT_FALSE(mine.empty());
  EXPECT_EQ(mine["image"]["drawn"], true) << mine["image"].dump();
  EXPECT_TRUE(Contains(mine["dicomweb_requests"], "SHARED7")) << mine["dicomweb_requests"].dump();
  EXPECT_TRUE(Contains(mine["qido_study_uids"], own[0])) << mine.dump();
  EXPECT_FALSE(Contains(mine["qido_study_uids"], other[0])) << mine.dump();
}

}  // namespace
}  // namespace telerad::testing
