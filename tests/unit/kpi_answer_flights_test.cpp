// KpiAnswerFlights: the first request for a question at some counts leads and the others
// at the same counts wait for its answer; other counts or another question lead their own
// flight; a lead given up without an answer sends the waiting requests off with nothing
// (so they compute on their own); a landed flight is gone.
#include "src/kpi/kpi_answer_flights.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <variant>

namespace telerad {
namespace {

using Future = std::shared_future<KpiAnswerFlights::Answer>;

KpiMonthChanges Counts(int64_t december) {
  return {{*ParseDay("2025-11-01"), 7}, {*ParseDay("2025-12-01"), december}};
}

KpiAnswerFlights::Answer AnswerWith(int64_t received) {
  auto answer = std::make_shared<KpiGroupedFigures>();
  answer->totals.studies_received = received;
  return answer;
}

TEST(KpiAnswerFlightsTest, RequestsAtTheSameCountsWaitForTheFirstOnesAnswer) {
  KpiAnswerFlights flights;
  auto first = flights.Join("q", Counts(3));
  ASSERT_TRUE(std::holds_alternative<KpiAnswerFlights::Lead>(first));
  auto second = flights.Join("q", Counts(3));
  auto third = flights.Join("q", Counts(3));
  ASSERT_TRUE(std::holds_alternative<Future>(second));
  ASSERT_TRUE(std::holds_alternative<Future>(third));
  EXPECT_EQ(flights.size(), 1u);

  Future waiting = std::get<Future>(second);
  EXPECT_EQ(waiting.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  // Published from another thread, as a computing request does.
  std::thread([lead = std::move(std::get<KpiAnswerFlights::Lead>(first))]() mutable {
    lead.Publish(AnswerWith(42));
  }).join();
  ASSERT_NE(waiting.get(), nullptr);
  EXPECT_EQ(waiting.get()->totals.studies_received, 42);
  EXPECT_EQ(std::get<Future>(third).get()->totals.studies_received, 42);
  // Landed: the next request leads (it finds the remembered answer, or computes).
  EXPECT_EQ(flights.size(), 0u);
  EXPECT_TRUE(std::holds_alternative<KpiAnswerFlights::Lead>(flights.Join("q", Counts(3))));
}

TEST(KpiAnswerFlightsTest, OtherCountsOrAnotherQuestionLeadTheirOwnFlight) {
  KpiAnswerFlights flights;
  auto at3 = flights.Join("q", Counts(3));
  auto at4 = flights.Join("q", Counts(4));  // a newer snapshot: December moved again
  auto other = flights.Join("other question", Counts(3));
  EXPECT_TRUE(std::holds_alternative<KpiAnswerFlights::Lead>(at3));
  EXPECT_TRUE(std::holds_alternative<KpiAnswerFlights::Lead>(at4));
  EXPECT_TRUE(std::holds_alternative<KpiAnswerFlights::Lead>(other));
  EXPECT_EQ(flights.size(), 3u);
  EXPECT_EQ(std::get<KpiAnswerFlights::Lead>(at4).changes(), Counts(4));
}

TEST(KpiAnswerFlightsTest, ALeadGivenUpWithoutAnAnswerSendsTheWaitingOffEmptyHanded) {
  KpiAnswerFlights flights;
  Future waiting;
  {
    auto lead = flights.Join("q", Counts(3));
    ASSERT_TRUE(std::holds_alternative<KpiAnswerFlights::Lead>(lead));
    // Moved once (as into the request's optional): only the last holder answers.
    KpiAnswerFlights::Lead held(std::move(std::get<KpiAnswerFlights::Lead>(lead)));
    waiting = std::get<Future>(flights.Join("q", Counts(3)));
  }  // the computation failed: the lead is destroyed unpublished
  ASSERT_EQ(waiting.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(waiting.get(), nullptr);
  EXPECT_EQ(flights.size(), 0u);
}

}  // namespace
}  // namespace telerad
