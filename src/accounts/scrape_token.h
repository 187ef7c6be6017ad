// ScrapeToken: the shared secret a Prometheus server sends to read GET /metrics without
// a user session (config metrics_token). Only a digest of it is kept, and a candidate is
// compared in constant time, so neither timing nor a memory dump of this object reveals
// the token. Immutable after construction: thread-safe.
#pragma once

#include <string>

namespace telerad {

class ScrapeToken {
 public:
  // `token` empty: scraping by token is disabled and Matches() is always false.
  // REQUIRES: InitSodium() succeeded.
  explicit ScrapeToken(const std::string& token);

  bool enabled() const { return !digest_.empty(); }

  // True when `candidate` is the configured token. Takes the same time whatever the
  // candidate and wherever it differs.
  bool Matches(const std::string& candidate) const;

 private:
  std::string digest_;  // BLAKE2b-256 of the token; empty when disabled
};

}  // namespace telerad
