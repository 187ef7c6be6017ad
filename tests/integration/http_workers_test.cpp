// Route handlers run on the HTTP workers (api/handler_pool.h), not on Pistache's reactor
// threads: on the real binary with one reactor thread, a request held up in the database
// (its table locked by this test) does not hold up another client's request, and is
// answered once the lock goes. With handlers on the reactor thread the second request
// waited for the first (curl gave up after 20 s).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <pqxx/pqxx>
#include <thread>

#include "tests/integration/harness.h"

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
  const auto deadline = Clock::now() + std::chrono::seconds(15);
  while (WaitingOnTargets() == 0 && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
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

}  // namespace
}  // namespace telerad::testing
