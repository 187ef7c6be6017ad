// Image reads are in the audit trail once per user, study and session (issue 13), not
// once per frame: the viewer's hundreds of metadata and frame requests for a study write
// one study.images row; another session or another study writes its own; refusals are
// always recorded.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class ImageAuditOnceTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    studies_ = ReadyStudies(2, 1313, "--instances 2 --rows 16 --cols 16");
    std::sort(studies_.begin(), studies_.end());
  }

  std::string FramesPath(const std::string& study) {
    const std::string series = db_.Scalar(
        "SELECT s.series_uid FROM series s JOIN study t ON t.id = s.study_id"
        " WHERE t.study_uid = '" +
        study + "'");
    const std::string sop = db_.Scalar(
        "SELECT i.sop_instance_uid FROM instance i JOIN series s ON s.id = i.series_id"
        " WHERE s.series_uid = '" +
        series + "' ORDER BY i.instance_number LIMIT 1");
    return "/dicomweb/studies/" + study + "/series/" + series + "/instances/" + sop + "/frames/1";
  }

  std::string Rows(const std::string& study, const std::string& outcome) {
    return db_.Scalar(
        "SELECT count(*) FROM audit_event WHERE action = 'study.images'"
        " AND username = 'rad1' AND object_id = '" +
        study + "' AND outcome = '" + outcome + "'");
  }

  // Read records are written in batches, in order: once a refusal sent last is in the
  // trail, everything before it is too.
  void WaitForTrail(const std::string& token, int refusals_expected) {
    EXPECT_EQ(
        Http("GET", server_->http_port, "/dicomweb/studies/1.2.999/metadata", "", token).status,
        404);
    for (int i = 0; i < 100 && Rows("1.2.999", "not_found") != std::to_string(refusals_expected);
         ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_EQ(Rows("1.2.999", "not_found"), std::to_string(refusals_expected));
  }

  std::vector<std::string> studies_;
};

TEST_F(ImageAuditOnceTest, OneRowPerSessionAndStudyEveryRefusal) {
  const int port = server_->http_port;
  const std::string first = Login(port, "rad1");
  const std::string& a = studies_[0];
  const std::string& b = studies_[1];
  for (int i = 0; i < 40; ++i) ASSERT_EQ(Http("GET", port, FramesPath(a), "", first).status, 200);
  ASSERT_EQ(Http("GET", port, "/dicomweb/studies/" + a + "/metadata", "", first).status, 200);
  WaitForTrail(first, 1);
  EXPECT_EQ(Rows(a, "success"), "1");
  EXPECT_EQ(Rows(b, "success"), "0");

  // Another study in the same session: its own row.
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Http("GET", port, FramesPath(b), "", first).status, 200);
  // Another session of the same user: a row again for the first study.
  const std::string second = Login(port, "rad1");
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Http("GET", port, FramesPath(a), "", second).status, 200);
  // Refusals of a study that exists are recorded each time (a frame it does not have).
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(Http("GET", port, FramesPath(a) + "0", "", first).status, 404);
  WaitForTrail(first, 2);
  EXPECT_EQ(Rows(a, "success"), "2");
  EXPECT_EQ(Rows(b, "success"), "1");
  EXPECT_EQ(Rows(a, "not_found"), "3");
  // The refused unknown study was recorded twice in one session.
  EXPECT_EQ(Rows("1.2.999", "not_found"), "2");
}

}  // namespace
}  // namespace telerad::testing
