// HandlerPool (api/handler_pool.h): one connection's tasks run one at a time and in
// order, different connections' tasks run at once on different workers, the bounds
// refuse what they promise to, and Stop runs what was submitted.
#include "api/handler_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace telerad::api {
namespace {

using namespace std::chrono_literals;

HandlerPool::Limits LimitsOf(int threads, size_t max_waiting = 512, size_t max_per_strand = 16) {
  HandlerPool::Limits limits;
  limits.threads = threads;
  limits.max_waiting = max_waiting;
  limits.max_per_strand = max_per_strand;
  return limits;
}

TEST(HandlerPoolTest, OneStrandsTasksRunOneAtATimeInOrder) {
  HandlerPool pool(LimitsOf(4, 512, /*max_per_strand=*/1000));
  pool.Start();
  auto strand = std::make_shared<HandlerPool::Strand>();
  std::mutex mu;
  std::vector<int> order;
  std::atomic<int> running{0}, most{0};
  for (int i = 0; i < 200; ++i) {
    // Sleeps now and then, so that a second worker would overtake if it could.
    ASSERT_TRUE(pool.Submit(strand, [&, i] {
      const int now = ++running;
      most = std::max(most.load(), now);
      if (i % 10 == 0) std::this_thread::sleep_for(1ms);
      {
        std::lock_guard<std::mutex> lock(mu);
        order.push_back(i);
      }
      --running;
    })) << i;
  }
  pool.Stop();
  ASSERT_EQ(order.size(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(order[i], i);
  EXPECT_EQ(most.load(), 1);
}

TEST(HandlerPoolTest, AnotherStrandRunsWhileOneIsBlocked) {
  HandlerPool pool(LimitsOf(2));
  pool.Start();
  auto slow = std::make_shared<HandlerPool::Strand>();
  auto quick = std::make_shared<HandlerPool::Strand>();
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> quick_ran;
  ASSERT_TRUE(pool.Submit(slow, [released] { released.wait(); }));
  ASSERT_TRUE(pool.Submit(quick, [&] { quick_ran.set_value(); }));
  EXPECT_EQ(quick_ran.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_FALSE(pool.Idle(*slow));
  EXPECT_TRUE(pool.Idle(*quick));
  release.set_value();
  pool.Stop();
  EXPECT_TRUE(pool.Idle(*slow));
}

TEST(HandlerPoolTest, StrandsTakeTurns) {
  // One worker: a strand with many tasks waiting does not starve one that comes later.
  HandlerPool pool(LimitsOf(1));
  pool.Start();
  auto busy = std::make_shared<HandlerPool::Strand>();
  auto late = std::make_shared<HandlerPool::Strand>();
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::mutex mu;
  std::vector<std::string> order;
  auto note = [&](std::string what) {
    std::lock_guard<std::mutex> lock(mu);
    order.push_back(std::move(what));
  };
  ASSERT_TRUE(pool.Submit(busy, [&, released] {
    released.wait();
    note("busy0");
  }));
  for (int i = 1; i <= 3; ++i)
    ASSERT_TRUE(pool.Submit(busy, [&, i] { note("busy" + std::to_string(i)); }));
  ASSERT_TRUE(pool.Submit(late, [&] { note("late"); }));
  release.set_value();
  pool.Stop();
  ASSERT_EQ(order.size(), 5u);
  EXPECT_EQ(order[0], "busy0");
  EXPECT_EQ(order[1], "late");  // its turn came before busy's second task
  EXPECT_EQ(order[4], "busy3");
}

TEST(HandlerPoolTest, BoundsRefuseAndBusyTells) {
  HandlerPool pool(LimitsOf(1, /*max_waiting=*/5, /*max_per_strand=*/3));
  pool.Start();
  auto first = std::make_shared<HandlerPool::Strand>();
  auto second = std::make_shared<HandlerPool::Strand>();
  std::promise<void> release, started;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_TRUE(pool.Submit(first, [&, released] {
    started.set_value();
    released.wait();
  }));
  started.get_future().wait();  // running: no longer waiting
  std::atomic<int> ran{0};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(pool.Submit(first, [&] { ++ran; })) << i;
  EXPECT_FALSE(pool.Submit(first, [&] { ++ran; }));  // a fourth waiting on one strand
  EXPECT_FALSE(pool.Busy());
  EXPECT_TRUE(pool.Submit(second, [&] { ++ran; }));
  EXPECT_TRUE(pool.Submit(second, [&] { ++ran; }));
  EXPECT_EQ(pool.waiting(), 5u);
  EXPECT_TRUE(pool.Busy());
  release.set_value();
  pool.Stop();
  EXPECT_EQ(ran.load(), 5);
  EXPECT_EQ(pool.waiting(), 0u);
  EXPECT_FALSE(pool.Submit(second, [] {}));  // stopped
}

TEST(HandlerPoolTest, StopRunsEverythingSubmittedAndSurvivesAThrowingTask) {
  HandlerPool pool(LimitsOf(3));
  pool.Start();
  std::atomic<int> ran{0};
  std::vector<std::shared_ptr<HandlerPool::Strand>> strands;
  for (int s = 0; s < 20; ++s) strands.push_back(std::make_shared<HandlerPool::Strand>());
  for (int round = 0; round < 10; ++round)
    for (auto& strand : strands)
      ASSERT_TRUE(pool.Submit(strand, [&ran, round] {
        if (round == 3) throw std::runtime_error("handler bug");
        ++ran;
      }));
  pool.Stop();
  EXPECT_EQ(ran.load(), 9 * 20);
}

}  // namespace
}  // namespace telerad::api
