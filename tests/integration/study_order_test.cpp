// PATCH /api/v1/studies/{uid}: the sending facility sets priority and clinical question;
// the SLA deadline follows the priority; radiologists see the change.
#include <gtest/gtest.h>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

using StudyOrderTest = ServerTest;

TEST_F(StudyOrderTest, FacilitySetsPriorityAndClinicalInfoOfItsOwnStudies) {
  const std::string uid = ReadyStudies(1, 1101)[0];
  const std::string path = "/api/v1/studies/" + uid;
  const std::string fac1 = Login(server_->http_port, "fac1");
  nlohmann::json change = {{"priority", "stat"},
                           {"clinical_info", "Толгойн гэмтэл, ухаан алдсан. <b>яаралтай</b>"}};
  HttpResponse patched = Http("PATCH", server_->http_port, path, change.dump(), fac1);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json["priority"], "stat");
  EXPECT_EQ(patched.json["clinical_info"],
            change["clinical_info"]);  // stored as given, JSON-escaped
  // The deadline is ready_at + 1 h now.
  EXPECT_EQ(db_.Scalar("SELECT sla_due_at - ready_at FROM study"), "01:00:00");
  HttpResponse seen = Http("GET", server_->http_port, path, "", Login(server_->http_port, "rad1"));
  EXPECT_EQ(seen.json["priority"], "stat");
  EXPECT_EQ(seen.json["clinical_info"], change["clinical_info"]);

  EXPECT_EQ(Http("PATCH", server_->http_port, path, R"({"priority":"asap"})", fac1).status, 422);
  EXPECT_EQ(Http("PATCH", server_->http_port, path, R"({"priority":3})", fac1).status, 422);
  EXPECT_EQ(Http("PATCH", server_->http_port, path, "{}", fac1).status, 422);
  EXPECT_EQ(Http("PATCH", server_->http_port, path, "[1]", fac1).status, 400);
  EXPECT_EQ(Http("PATCH", server_->http_port, path, R"({"clinical_info":"a\u0000b"})", fac1).status,
            422);
  EXPECT_EQ(
      Http("PATCH", server_->http_port, path, change.dump(), Login(server_->http_port, "rad1"))
          .status,
      403);
  EXPECT_EQ(
      Http("PATCH", server_->http_port, path, change.dump(), Login(server_->http_port, "admin"))
          .status,
      200);
  db_.Scalar(
      "INSERT INTO facility (code, name, aimag, ae_title) VALUES ('OTHER', 'Өөр', 'Дорнод', "
      "'OTHER_SCU')");
  AddUser("fac2", "facility", "OTHER");
  EXPECT_EQ(
      Http("PATCH", server_->http_port, path, change.dump(), Login(server_->http_port, "fac2"))
          .status,
      404);
  db_.Scalar("UPDATE study SET status = 'reported'");
  EXPECT_EQ(Http("PATCH", server_->http_port, path, change.dump(), fac1).status, 409);
}

}  // namespace
}  // namespace telerad::testing
