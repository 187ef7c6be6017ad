// PgPool: a small pool of libpqxx connections, and the one way telerad runs SQL.
//
// A libpqxx connection belongs to one thread at a time (libpqxx thread-safety notes),
// so Run() leases a connection for the duration of one transaction. Connections are
// opened lazily up to `size`; a broken one is discarded and replaced, so the server
// recovers by itself when PostgreSQL comes back. Thread-safe.
//
// Only src/pg/ (and bench/loader/) include this header: it exposes libpqxx types.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "src/base/status.h"

namespace telerad {

// Thrown inside a Run() body to roll back and return `status` from Run().
struct AbortTransaction {
  Status status;
};

class PgPool {
 public:
  PgPool(std::string url, int size, int statement_timeout_ms);
  ~PgPool();
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  // Registers a prepared statement on every connection, present and future.
  // REQUIRES: called during wiring, before any Run().
  void Prepare(const std::string& name, const std::string& sql);

  // Runs `body` in one read-committed transaction and commits it. Serialization
  // failures and deadlocks are retried (bounded, randomised back-off); a broken
  // connection is replaced and the body retried once. Returns kUnavailable when the
  // database cannot be reached or a statement timed out, kConflict on a unique
  // violation, the AbortTransaction status if the body threw one, kInternal otherwise.
  // The body may run more than once: it must not have effects outside the transaction
  // that are not idempotent.
  Status Run(const std::function<void(pqxx::work&)>& body);

  // Runs `body`, which only reads, as single statements without BEGIN/COMMIT: one round
  // trip per statement instead of three (hot-path lookups). Same errors as Run().
  Status Read(const std::function<void(pqxx::nontransaction&)>& body);

  // Runs `body` outside any transaction on a leased connection (DDL, migrations).
  Status RunRaw(const std::function<void(pqxx::connection&)>& body);

  // Connections currently leased (for metrics and tests).
  int InUse() const;
  // Connections open, leased or idle (for metrics).
  int OpenConnections() const;
  // The most connections the pool opens.
  int size() const { return size_; }

 private:
  struct Lease;
  Result<std::unique_ptr<pqxx::connection>> Acquire();
  void Release(std::unique_ptr<pqxx::connection> conn, bool broken);
  Result<std::unique_ptr<pqxx::connection>> Open();

  const std::string url_;
  const int size_;
  const int statement_timeout_ms_;
  std::vector<std::pair<std::string, std::string>> statements_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;  // GUARDED_BY(mu_)
  int open_ = 0;                                         // GUARDED_BY(mu_)
  int in_use_ = 0;                                       // GUARDED_BY(mu_)
};

}  // namespace telerad
