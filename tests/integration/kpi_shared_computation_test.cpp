// Requests that find the same KPI question's month moved at the same moment compute it
// once (src/kpi/kpi_answer_flights.h): on the real server, after an event, the first of
// four requests for the same figures is held inside its computation (the daily table
// locked by this test) and the other three wait for its answer rather than reading the
// table themselves; once the lock goes, all four get the same figures, one computed and
// three shared. Without the sharing all four waited on the lock.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
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
};

TEST_F(KpiSharedComputationTest, RequestsThatFindTheSameMonthMovedComputeItOnce) {
  const std::string ministry = Login(server_->http_port, "ministry1");
  const auto now = std::chrono::system_clock::now();
  // Three days around today, by day: every day read from the daily tables.
  const std::string path = "/api/v1/kpi?from=" + Day(now - std::chrono::hours(24)) +
                           "&to=" + Day(now + std::chrono::hours(24)) + "&group_by=day";
  HttpResponse first = Http("GET", server_->http_port, path, "", ministry);
  ASSERT_EQ(first.status, 200) << first.body;

  // An event in the current month, as every aggregate trigger notes one (schema 0016).
  db_.Scalar(
      "SELECT kpi_note_change(date_trunc('month', now() AT TIME ZONE 'Asia/Ulaanbaatar')::date,"
      " (SELECT min(id) FROM facility), 'CT')::text");
  const double memory = Answered(ministry, "memory"), database = Answered(ministry, "database");

  pqxx::connection locker(db_.url());
  pqxx::work lock(locker);
  lock.exec0("LOCK TABLE kpi_study_daily IN ACCESS EXCLUSIVE MODE");

  std::array<HttpResponse, 4> answers;
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  auto ask = [&](size_t i) {
    clients.emplace_back([&, i] {
      answers[i] = Http("GET", server_->http_port, path, "", ministry);
      ++answered;
    });
  };
  ask(0);
  auto deadline = Clock::now() + std::chrono::seconds(15);
  while (WaitingOnDailyStudies() == 0 && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(WaitingOnDailyStudies(), 1) << server_->Log();
  for (size_t i = 1; i < answers.size(); ++i) ask(i);
  // Long enough for the three to read the counts and, were they to compute, to queue on
  // the lock behind the first.
  deadline = Clock::now() + std::chrono::seconds(3);
  int most_waiting = 1;
  while (Clock::now() < deadline) {
    most_waiting = std::max(most_waiting, WaitingOnDailyStudies());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(most_waiting, 1) << "more than one request read the locked table";
  EXPECT_EQ(answered.load(), 0) << "an answer came before the computation could finish";

  lock.abort();
  for (std::thread& t : clients) t.join();
  for (HttpResponse& r : answers) {
    ASSERT_EQ(r.status, 200) << r.body;
    r.json.erase("backlog");  // now, not the window's
  }
  for (HttpResponse& r : answers) EXPECT_EQ(r.json, answers[0].json);
  EXPECT_TRUE(answers[0].json.contains("totals")) << answers[0].body;
  EXPECT_EQ(Answered(ministry, "database") - database, 1);
  EXPECT_EQ(Answered(ministry, "memory") - memory, 3);
}

}  // namespace
}  // namespace telerad::testing
