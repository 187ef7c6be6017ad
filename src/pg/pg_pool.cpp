#include "src/pg/pg_pool.h"

#include <random>
#include <thread>

#include "src/base/logging.h"

namespace telerad {
namespace {

constexpr int kMaxAttempts = 4;
constexpr auto kAcquireTimeout = std::chrono::seconds(10);

// SQLSTATEs meaning "the server is going away or not accepting us": treat the
// connection as broken and the database as unavailable.
bool IsServerGone(const std::string& state) {
  return state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03" ||
         state == "53300" || state == "3D000";
}

void Backoff(int attempt) {
  thread_local std::mt19937 rng{std::random_device{}()};
  std::uniform_int_distribution<int> jitter(0, 5 << attempt);
  std::this_thread::sleep_for(std::chrono::milliseconds(jitter(rng)));
}

}  // namespace

PgPool::PgPool(std::string url, int size, int statement_timeout_ms)
    : url_(std::move(url)), size_(size), statement_timeout_ms_(statement_timeout_ms) {}

PgPool::~PgPool() = default;

void PgPool::Prepare(const std::string& name, const std::string& sql) {
  statements_.emplace_back(name, sql);
}

int PgPool::InUse() const {
  std::lock_guard<std::mutex> lock(mu_);
  return in_use_;
}

int PgPool::OpenConnections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return open_;
}

Result<std::unique_ptr<pqxx::connection>> PgPool::Open() {
  try {
    auto conn = std::make_unique<pqxx::connection>(url_);
    // set_variable survives libpqxx's automatic reconnects; a raw SET would not (STACK.md).
    conn->set_variable("statement_timeout", std::to_string(statement_timeout_ms_));
    for (const auto& [name, sql] : statements_) conn->prepare(name, sql);
    return conn;
  } catch (const std::exception& e) {
    CoreLog().warn("event=db_connect_failed reason=\"{}\"", FirstLine(e.what()));
    return Status::Unavailable("database unreachable");
  }
}

Result<std::unique_ptr<pqxx::connection>> PgPool::Acquire() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, kAcquireTimeout, [&] { return !idle_.empty() || open_ < size_; }))
      return Status::Unavailable("database pool exhausted");
    ++in_use_;
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
    ++open_;  // reserve the slot, then connect without holding the lock
  }
  auto conn = Open();
  if (!conn.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    --open_;
    --in_use_;
    cv_.notify_one();
  }
  return conn;
}

void PgPool::Release(std::unique_ptr<pqxx::connection> conn, bool broken) {
  std::lock_guard<std::mutex> lock(mu_);
  --in_use_;
  if (broken || !conn || !conn->is_open()) {
    --open_;
  } else {
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

Status PgPool::Run(const std::function<void(pqxx::work&)>& body) {
  return RunRaw([&](pqxx::connection& conn) {
    pqxx::work txn(conn);
    body(txn);
    txn.commit();
  });
}

Status PgPool::Read(const std::function<void(pqxx::nontransaction&)>& body) {
  return RunRaw([&](pqxx::connection& conn) {
    pqxx::nontransaction txn(conn);
    body(txn);
  });
}

Status PgPool::RunRaw(const std::function<void(pqxx::connection&)>& body) {
  Status last = Status::Unavailable("database unreachable");
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    auto conn = Acquire();
    if (!conn.ok()) return conn.status();
    bool broken = false;
    bool retry = false;
    try {
      body(**conn);
      Release(std::move(*conn), false);
      return Status::Ok();
    } catch (const AbortTransaction& abort) {
      last = abort.status;
    } catch (const pqxx::in_doubt_error&) {
      // The commit may or may not have happened; callers answer "unavailable" and the
      // sender retries, which is safe because every write here is idempotent.
      broken = true;
      last = Status::Unavailable("database connection lost during commit");
    } catch (const pqxx::broken_connection& e) {
      broken = true;
      retry = attempt == 0;  // the server may have restarted: one fresh connection
      last = Status::Unavailable("database connection lost");
    } catch (const pqxx::transaction_rollback&) {
      // serialization_failure, deadlock_detected: not sql_errors in libpqxx 6 (STACK.md)
      retry = true;
      last = Status::Unavailable("transaction kept conflicting");
    } catch (const pqxx::sql_error& e) {
      // libpqxx 6 throws a few errors without their SQLSTATE (insufficient_privilege is
      // built from the message alone in result.cxx ThrowSQLError), so the type tells.
      const std::string state =
          dynamic_cast<const pqxx::insufficient_privilege*>(&e) ? "42501" : e.sqlstate();
      if (IsServerGone(state)) {
        broken = true;
        retry = attempt == 0;
        last = Status::Unavailable("database unavailable");
      } else if (state == "57014") {
        last = Status::Unavailable("statement timed out");
      } else if (state == "23505") {
        last = Status::Conflict("duplicate key");
      } else {
        CoreLog().error("event=sql_error sqlstate={} reason=\"{}\"", state, FirstLine(e.what()));
        last = Status::Internal("database error " + state);
      }
    } catch (const std::exception& e) {
      broken = true;
      CoreLog().error("event=db_error reason=\"{}\"", FirstLine(e.what()));
      last = Status::Internal("database error");
    }
    Release(std::move(*conn), broken);
    if (!retry) return last;
    Backoff(attempt);
  }
  return last;
}

}  // namespace telerad
