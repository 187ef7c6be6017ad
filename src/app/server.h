// Server: the running telerad. Wires the services to the PostgreSQL index, the file
// store and the two doors (DICOM and HTTP), starts them with the background workers,
// and stops them in the order that loses nothing.
//
// Not thread-safe: Start and Stop are called from one thread (serve_command.cpp).
#pragma once

#include <memory>

#include "src/config/config.h"

namespace telerad {

class PgDatabase;

class Server {
 public:
  // REQUIRES: `config` and `db` outlive the server.
  Server(const Config& config, PgDatabase& db);
  ~Server();  // stops what is still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Opens the storage, checks the schema is current and the database role is the
  // least-privilege application role (CheckDatabase), wires every part and starts the doors and
  // workers. Returns kExitOk once the server answers on both ports, otherwise the exit
  // code of the first failure (exit_codes.h), logged, with nothing left running.
  int Start();

  // New associations are refused at once, instances in flight finish and are answered,
  // then HTTP, the workers and the audit queue stop. Idempotent.
  void Stop();

 private:
  int CheckDatabase();
  struct Parts;
  const Config& config_;
  PgDatabase& db_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace telerad
