// The API's error behaviour under bad input and a database outage: JSON errors with the
// right status, nothing echoed, and recovery without a restart.
#include <gtest/gtest.h>

#include <thread>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class ApiErrorsTest : public ServerTest {
 protected:
  ApiErrorsTest() { options_.env["TELERAD_HTTP_MAX_REQUEST_BYTES"] = "8192"; }
};

TEST_F(ApiErrorsTest, OversizedBodiesGet413) {
  const std::string token = Login(server_->http_port, "admin");
  const std::string big = "{\"name\":\"" + std::string(10000, 'x') + "\"}";
  HttpResponse r = Http("POST", server_->http_port, "/api/v1/facilities", big, token);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json["error"]["code"], "payload_too_large");
  // Far past the limit Pistache itself refuses the request; still 413, never a crash.
  const std::string huge = "{\"name\":\"" + std::string(100000, 'x') + "\"}";
  EXPECT_EQ(Http("POST", server_->http_port, "/api/v1/facilities", huge, token).status, 413);
  EXPECT_EQ(Http("GET", server_->http_port, "/healthz").status, 200);
}

TEST_F(ApiErrorsTest, BadJsonWrongTypesAndUnknownThingsAreJsonErrorsWithoutEcho) {
  const std::string token = Login(server_->http_port, "admin");
  HttpResponse bad =
      Http("POST", server_->http_port, "/api/v1/users", "{\"username\": <script>", token);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json["error"]["code"], "invalid_json");
  EXPECT_EQ(bad.body.find("<script>"), std::string::npos);
  HttpResponse wrong = Http("POST", server_->http_port, "/api/v1/users",
                            R"({"username":["<img src=x>"],"role":"admin","password":"x"})", token);
  EXPECT_EQ(wrong.status, 422);
  EXPECT_EQ(wrong.body.find("<img"), std::string::npos);
  HttpResponse missing = Http("GET", server_->http_port, "/api/v1/studies/<b>1.2.3</b>", "", token);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body.find("<b>"), std::string::npos);
  HttpResponse route = Http("GET", server_->http_port, "/api/v1/<svg>", "", token);
  EXPECT_EQ(route.status, 404);
  EXPECT_EQ(route.json["error"]["code"], "not_found");
  EXPECT_EQ(route.body.find("<svg>"), std::string::npos);
}

TEST_F(ApiErrorsTest, DatabaseOutageGives503AndTheServerRecoversByItself) {
  const std::string token = Login(server_->http_port, "rad1");
  ASSERT_EQ(Http("GET", server_->http_port, "/api/v1/worklist", "", token).status, 200);
  db_.Admin("ALTER DATABASE " + db_.name() + " ALLOW_CONNECTIONS false");
  db_.Admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
            db_.name() + "'");
  for (const char* path : {"/api/v1/worklist", "/api/v1/studies/1.2.3/report"}) {
    HttpResponse down = Http("GET", server_->http_port, path, "", token);
    EXPECT_EQ(down.status, 503) << path << " " << down.body;
    EXPECT_EQ(down.json["error"]["code"], "unavailable");
  }
  EXPECT_EQ(Http("POST", server_->http_port, "/api/v1/auth/login",
                 R"({"username":"rad1","password":"telerad-demo"})")
                .status,
            503);
  EXPECT_EQ(Http("GET", server_->http_port, "/readyz").status, 503);
  db_.Admin("ALTER DATABASE " + db_.name() + " ALLOW_CONNECTIONS true");
  HttpResponse back;
  for (int i = 0; i < 50 && back.status != 200; ++i) {
    back = Http("GET", server_->http_port, "/api/v1/worklist", "", token);
    if (back.status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(back.status, 200) << back.body;
  EXPECT_GT(server_->pid(), 0);
}

}  // namespace
}  // namespace telerad::testing
