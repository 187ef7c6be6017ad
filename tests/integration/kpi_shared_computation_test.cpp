// Requests that find the same KPI question's month moved at the same moment compute it
// once (src/kpi/kpi_answer_flights.h): on the real server, after an event, the first of
// four requests for the same figures is held inside its computation (the daily table
// locked by this test) and the other three wait for its answer rather than reading the
// table themselves; once the lock goes, all four get the same figures, one computed and
// three shared. Without the sharing all four waited on the lock. And when the computing
// request fails (its statement cancelled), one of the waiting ones computes in its place
// while the others keep waiting.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <pqxx/pqxx>
#include <thread>

#include "date/date.h"
#include "tests/integration/harness.h"
#include "tests/prometheus_text.h"

namespace telerad::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string Day(std::chrono::system_clock::time_point t) {
  return date::format("%F", date::floor<date::days>(t));
}

class KpiSharedComputationTest : public ServerTest {
 protected:
  KpiSharedComputationTest() {
    // The held computation waits for the lock longer than the default statement timeout.
    options_.env["TELERAD_DB_STATEMENT_TIMEOUT_MS"] = "60000";
    options_.env["TELERAD_HTTP_WORKERS"] = "8";
  }

  // The server's requests waiting for a lock on kpi_study_daily.
  int WaitingOnDailyStudies() const {
    return std::stoi(
        db_.Scalar("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                   " WHERE c.relname = 'kpi_study_daily' AND NOT l.granted"));
  }

  double Answered(const std::string& token, const char* source) const {
    HttpResponse r = Http("GET", server_->http_port, "/metrics", "", token);
    EXPECT_EQ(r.status, 200) << r.body;
    return ParsePrometheusText(r.body).Sum("telerad_kpi_figures_answers_total",
                                           {{"source", source}});
  }

  // Until one of the server's requests waits for the lock on kpi_study_daily.
  void AwaitOneWaiting() const {
    const auto deadline = Clock::now() + std::chrono::seconds(15);
    while (WaitingOnDailyStudies() == 0 && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_EQ(WaitingOnDailyStudies(), 1) << server_->Log();
  }

  // The most requests seen waiting for the lock in 3 s: long enough for requests to read
  // the counts and, were they to compute, to queue on the lock behind the first.
  int MostWaitingFor3s() const {
    const auto deadline = Clock::now() + std::chrono::seconds(3);
    int most = 0;
    while (Clock::now() < deadline) {
      most = std::max(most, WaitingOnDailyStudies());
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return most;
  }

  // Asks the question of three days around today by day (every day read from the daily
  // tables) once, then notes an event in the current month as every aggregate trigger
  // does (schema 0016), so that the next requests find that month moved.
  void RememberThenMove() {
    ministry_ = Login(server_->http_port, "ministry1");
    const auto now = std::chrono::system_clock::now();
    path_ = "/api/v1/kpi?from=" + Day(now - std::chrono::hours(24)) +
            "&to=" + Day(now + std::chrono::hours(24)) + "&group_by=day";
    HttpResponse first = Http("GET", server_->http_port, path_, "", ministry_);
    ASSERT_EQ(first.status, 200) << first.body;
    db_.Scalar(
        "SELECT kpi_note_change(date_trunc('month', now() AT TIME ZONE 'Asia/Ulaanbaatar')::date,"
        " (SELECT min(id) FROM facility), 'CT')::text");
    memory_ = Answered(ministry_, "memory");
    database_ = Answered(ministry_, "database");
  }

  // Holds up every reader of kpi_study_daily until Unlock().
  void Lock() {
    locker_ = std::make_unique<pqxx::connection>(db_.url());
    lock_ = std::make_unique<pqxx::work>(*locker_);
    lock_->exec0("LOCK TABLE kpi_study_daily IN ACCESS EXCLUSIVE MODE");
  }
  void Unlock() {
    if (lock_) lock_->abort();
    lock_.reset();
    locker_.reset();
  }
  // A failed assertion ends a case early: its clients are answered and joined first.
  void TearDown() override {
    Unlock();
    JoinClients();
    ServerTest::TearDown();
  }

  // Client `i` asks the question on its own thread.
  void Ask(size_t i) {
    clients_.emplace_back([this, i] {
      answers_[i] = Http("GET", server_->http_port, path_, "", ministry_);
      ++answered_;
    });
  }
  void JoinClients() {
    for (std::thread& t : clients_) t.join();
    clients_.clear();
  }

  std::string ministry_, path_;
  double memory_ = 0, database_ = 0;
  std::array<HttpResponse, 4> answers_;
  std::atomic<int> answered_{0};
  std::vector<std::thread> clients_;
  std::unique_ptr<pqxx::connection> locker_;
  std::unique_ptr<pqxx::work> lock_;
};

TEST_F(KpiSharedComputationTest, RequestsThatFindTheSameMonthMovedComputeItOnce) {
  ASSERT_NO_FATAL_FAILURE(RememberThenMove());
  Lock();

  Ask(0);
  ASSERT_NO_FATAL_FAILURE(AwaitOneWaiting());
  for (size_t i = 1; i < answers_.size(); ++i) Ask(i);
  EXPECT_EQ(MostWaitingFor3s(), 1) << "more than one request read the locked table";
  EXPECT_EQ(answered_.load(), 0) << "an answer came before the computation could finish";

  Unlock();
  JoinClients();
  for (HttpResponse& r : answers_) {
    ASSERT_EQ(r.status, 200) << r.body;
    r.json.erase("backlog");  // now, not the window's
  }
  for (HttpResponse& r : answers_) EXPECT_EQ(r.json, answers_[0].json);
  EXPECT_TRUE(answers_[0].json.contains("totals")) << answers_[0].body;
  EXPECT_EQ(Answered(ministry_, "database") - database_, 1);
  EXPECT_EQ(Answered(ministry_, "memory") - memory_, 3);
}

TEST_F(KpiSharedComputationTest, WhenTheComputingRequestFailsOneOfTheWaitingComputes) {
  ASSERT_NO_FATAL_FAILURE(RememberThenMove());
  Lock();

  Ask(0);
  ASSERT_NO_FATAL_FAILURE(AwaitOneWaiting());
  for (size_t i = 1; i < answers_.size(); ++i) Ask(i);
  EXPECT_EQ(MostWaitingFor3s(), 1);
  // The computing request's statement cancelled, as a statement timeout would.
  db_.Scalar(
      "SELECT pg_cancel_backend(l.pid)::text FROM pg_locks l JOIN pg_class c"
      " ON c.oid = l.relation WHERE c.relname = 'kpi_study_daily' AND NOT l.granted");
  // One of the three computes in its place and waits for the lock; the others wait for it.
  const auto deadline = Clock::now() + std::chrono::seconds(15);
  while (answered_.load() == 0 && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_NO_FATAL_FAILURE(AwaitOneWaiting());
  EXPECT_EQ(MostWaitingFor3s(), 1) << "more than one request read the locked table again";
  EXPECT_EQ(answered_.load(), 1) << "only the cancelled request has its answer";

  Unlock();
  JoinClients();
  EXPECT_EQ(answers_[0].status, 503) << answers_[0].body;
  EXPECT_EQ(answers_[0].json["error"]["code"], "unavailable") << answers_[0].body;
  for (size_t i = 1; i < answers_.size(); ++i) {
    ASSERT_EQ(answers_[i].status, 200) << answers_[i].body;
    answers_[i].json.erase("backlog");
    EXPECT_EQ(answers_[i].json, answers_[1].json);
  }
  EXPECT_EQ(Answered(ministry_, "database") - database_, 1);
  EXPECT_EQ(Answered(ministry_, "memory") - memory_, 2);
}

}  // namespace
}  // namespace telerad::testing
