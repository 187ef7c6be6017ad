// `telerad serve`: start the server, wait for SIGINT or SIGTERM, stop it cleanly.
#include <pthread.h>
#include <signal.h>

#include <cstring>

#include "src/app/commands.h"
#include "src/app/exit_codes.h"
#include "src/app/server.h"
#include "src/base/logging.h"

namespace telerad {

int ServeCommand(PgDatabase& db, const Config& config) {
  // Block the stop signals in every thread (they inherit the mask); this one takes them
  // with sigwait, so no handler runs inside a DCMTK or Pistache call (STACK.md).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Server server(config, db);
  if (int rc = server.Start(); rc != kExitOk) return rc;
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  CoreLog().info("event=stopping signal={}", strsignal(signal_number));
  server.Stop();
  return kExitOk;
}

}  // namespace telerad
