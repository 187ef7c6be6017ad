// KpiAnswerFlights: the answers to KPI figures questions being computed right now, so that
// requests that find the same question's months moved at the same counts compute it once.
// After an event, every user of a dashboard asks again at about the same moment; each
// found the current month moved and computed it, side by side: with four users on two
// cores, four computations of December by day took the by-day question's p99 to 256 ms
// (bench/README.md, "KPI"). Now the first one computes and the others wait for its answer,
// which at the same counts is theirs too (kpi_figures_cache.h: the same counts mean the
// same figures). Thread-safe.
#pragma once

#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <variant>

#include "src/kpi/kpi_repository.h"

namespace telerad {

// Each month's count of changes (plus the registry's) as a snapshot read them, by the
// first day of the month (schema 0016, kpi_change).
using KpiMonthChanges = std::map<date::sys_days, int64_t>;

class KpiAnswerFlights {
 public:
  using Answer = std::shared_ptr<const KpiGroupedFigures>;

  // The right and duty to compute a question at some counts: whoever holds it publishes the
  // answer, or, destroyed without publishing (an error, an exception), an empty one that
  // sends the waiting requests to compute on their own.
  class Lead {
   public:
    Lead(Lead&& other) noexcept;
    Lead& operator=(Lead&&) = delete;
    Lead(const Lead&) = delete;
    ~Lead();
    const KpiMonthChanges& changes() const { return changes_; }
    void Publish(Answer answer);

   private:
    friend class KpiAnswerFlights;
    Lead(KpiAnswerFlights* flights, std::string flight, KpiMonthChanges changes,
         std::promise<Answer> promise);
    KpiAnswerFlights* flights_;
    std::string flight_;
    KpiMonthChanges changes_;
    std::promise<Answer> promise_;
  };

  // The lead for question `key` at `changes` when no request computes it at these counts;
  // otherwise the answer to come from the one that does (empty if it failed).
  std::variant<Lead, std::shared_future<Answer>> Join(const std::string& key,
                                                      const KpiMonthChanges& changes);

  // Flights under way (for tests).
  size_t size() const;

 private:
  void Land(const std::string& flight);

  mutable std::mutex mu_;
  std::map<std::string, std::shared_future<Answer>> flights_;
};

}  // namespace telerad
