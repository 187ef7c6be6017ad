#include "src/kpi/kpi_answer_flights.h"

#include <utility>

namespace telerad {

KpiAnswerFlights::Lead::Lead(KpiAnswerFlights* flights, std::string flight, KpiMonthChanges changes,
                             std::promise<Answer> promise)
    : flights_(flights),
      flight_(std::move(flight)),
      changes_(std::move(changes)),
      promise_(std::move(promise)) {}

KpiAnswerFlights::Lead::Lead(Lead&& other) noexcept
    : flights_(std::exchange(other.flights_, nullptr)),
      flight_(std::move(other.flight_)),
      changes_(std::move(other.changes_)),
      promise_(std::move(other.promise_)) {}

KpiAnswerFlights::Lead::~Lead() {
  if (flights_ != nullptr) Publish(nullptr);
}

void KpiAnswerFlights::Lead::Publish(Answer answer) {
  if (flights_ == nullptr) return;
  // Off the list before the answer is given, so that the list only ever holds flights
  // whose answer is still to come (joining a landed one would be harmless, its answer is
  // at the same counts, but a request arriving now finds the remembered answer anyway).
  std::exchange(flights_, nullptr)->Land(flight_);
  promise_.set_value(std::move(answer));
}

std::variant<KpiAnswerFlights::Lead, std::shared_future<KpiAnswerFlights::Answer>>
KpiAnswerFlights::Join(const std::string& key, const KpiMonthChanges& changes) {
  // The question and every month's count: a request that read other counts (an older or
  // newer snapshot) computes its own answer.
  std::string flight = key;
  for (const auto& [month, count] : changes) {
    flight += '\x1e';
    flight += std::to_string(month.time_since_epoch().count());
    flight += ':';
    flight += std::to_string(count);
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = flights_.find(flight); it != flights_.end()) return it->second;
  std::promise<Answer> promise;
  flights_.emplace(flight, promise.get_future().share());
  return Lead(this, std::move(flight), changes, std::move(promise));
}

size_t KpiAnswerFlights::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return flights_.size();
}

void KpiAnswerFlights::Land(const std::string& flight) {
  std::lock_guard<std::mutex> lock(mu_);
  flights_.erase(flight);
}

}  // namespace telerad
