// Route handlers run on the HTTP workers (api/handler_pool.h), not on Pistache's reactor
// threads: on the real binary with one reactor thread, a request held up in the database
// (its table locked by this test) does not hold up another client's request, and is
// answered once the lock goes. With handlers on the reactor thread the second request
// waited for the first (curl gave up after 20 s). A request the door refuses while it is
// still being read, on a connection whose earlier request is held so, is answered after
// that request and ends the connection.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <pqxx/pqxx>
#include <thread>

#include "tests/integration/harness.h"
#include "tests/integration/raw_http.h"

namespace telerad::testing {
namespace {

using Clock = std::chrono::steady_clock;

class HttpWorkersTest : public ServerTest {
 protected:
  HttpWorkersTest() {
    options_.env["TELERAD_HTTP_THREADS"] = "1";
    options_.env["TELERAD_HTTP_WORKERS"] = "4";
    // The held request waits for the lock longer than the default statement timeout.
    options_.env["TELERAD_DB_STATEMENT_TIMEOUT_MS"] = "60000";
  }

  // Requests of the application waiting for a lock on kpi_target.
  int WaitingOnTargets() const {
    return std::stoi(
        db_.Scalar("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                   " WHERE c.relname = 'kpi_target' AND NOT l.granted"));
  }

  // Waits until `n` requests wait for the lock on kpi_target.
  void AwaitWaitingOnTargets(int n) const {
    const auto deadline = Clock::now() + std::chrono::seconds(15);
    while (WaitingOnTargets() < n && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
};

TEST_F(HttpWorkersTest, ARequestWaitingOnTheDatabaseDoesNotHoldUpAnotherClient) {
  const std::string ministry = Login(server_->http_port, "ministry1");
  const std::string admin = Login(server_->http_port, "admin");

  pqxx::connection locker(db_.url());
  pqxx::work lock(locker);
  lock.exec0("LOCK TABLE kpi_target IN ACCESS EXCLUSIVE MODE");

  std::atomic<bool> held_answered{false};
  HttpResponse held;
  std::thread held_client([&] {
    held = Http("GET", server_->http_port, "/api/v1/kpi/targets", "", ministry);
    held_answered = true;
  });
  // The held request is in its handler, waiting for the lock.
  AwaitWaitingOnTargets(1);
  ASSERT_EQ(WaitingOnTargets(), 1) << server_->Log();

  // Another client, on the same (only) reactor thread, is answered meanwhile.
  const auto asked = Clock::now();
  HttpResponse other = Http("GET", server_->http_port, "/api/v1/facilities", "", admin);
  const auto took = Clock::now() - asked;
  EXPECT_EQ(other.status, 200) << other.body;
  EXPECT_TRUE(other.json.contains("items")) << other.body;
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_FALSE(held_answered.load()) << "the held request was answered with the lock held";
  EXPECT_EQ(WaitingOnTargets(), 1);

  lock.abort();
  held_client.join();
  EXPECT_EQ(held.status, 200) << held.body;
  EXPECT_TRUE(held.json.contains("items")) << held.body;
}

// The parser's refusals (a malformed Content-Length: raw_headers_parser.h; a body over
// its route's limit: body_limit_parser.h) used to be written straight to the socket,
// which was then shut: the earlier answer of the same connection, still in its handler,
// was lost (the client saw the refusal, then the end of the connection).
TEST_F(HttpWorkersTest, ARefusalWhileReadingFollowsTheEarlierAnswerOfItsConnection) {
  const std::string ministry = Login(server_->http_port, "ministry1");
  const std::string held_request =
      "GET /api/v1/kpi/targets HTTP/1.1\r\nHost: telerad\r\n"
      "Authorization: Bearer " +
      ministry + "\r\n\r\n";
  struct Case {
    const char* what;
    std::string request;
    int status;
    const char* code;
  };
  const Case cases[] = {
      {"malformed Content-Length",
       "GET /api/v1/kpi/targets HTTP/1.1\r\nHost: telerad\r\nContent-Length: 12abc\r\n\r\n", 400,
       "invalid_argument"},
      {"body over its limit, refused before it is sent",
       "POST /api/v1/consultations HTTP/1.1\r\nHost: telerad\r\nContent-Type: application/json"
       "\r\nContent-Length: 999999999\r\n\r\n",
       413, "payload_too_large"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    pqxx::connection locker(db_.url());
    pqxx::work lock(locker);
    lock.exec0("LOCK TABLE kpi_target IN ACCESS EXCLUSIVE MODE");
    const int fd = RawConnect(server_->http_port);
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(RawSend(fd, held_request));
    AwaitWaitingOnTargets(1);
    ASSERT_EQ(WaitingOnTargets(), 1) << server_->Log();

    ASSERT_TRUE(RawSend(fd, c.request));
    // The refusal waits for the held answer: nothing arrives while the lock is held.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    char byte = 0;
    EXPECT_EQ(::recv(fd, &byte, 1, MSG_DONTWAIT | MSG_PEEK), -1)
        << "something was answered before the held request";

    lock.abort();
    std::string in = RawReadAll(fd);
    ::close(fd);
    const ParsedResponse held = TakeResponse(in);
    EXPECT_EQ(held.status, 200) << in;
    EXPECT_TRUE(held.complete);
    EXPECT_NE(held.body.find("\"items\""), std::string::npos) << held.body;
    ParsedResponse refused = TakeResponse(in);
    EXPECT_EQ(refused.status, c.status) << in;
    EXPECT_TRUE(refused.complete);
    EXPECT_EQ(refused.headers["connection"], "close");
    EXPECT_NE(refused.body.find(std::string("\"") + c.code + "\""), std::string::npos)
        << refused.body;
    EXPECT_TRUE(in.empty()) << "after the refusal: " << in;
  }
  // The server serves on.
  EXPECT_EQ(Http("GET", server_->http_port, "/api/v1/kpi/targets", "", ministry).status, 200);
}

}  // namespace
}  // namespace telerad::testing
