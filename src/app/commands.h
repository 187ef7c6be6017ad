// The commands of the telerad binary, one function each; main.cpp parses the command
// line and calls one of them. Each returns an ExitCode (exit_codes.h) and logs why it
// failed; none of them throws.
#pragma once

#include <map>
#include <string>

#include "src/config/config.h"

namespace telerad {

class PgDatabase;

// `telerad migrate`: applies the schema migrations, then grants config.db_app_role the
// server's privileges (src/pg/pg_app_grants.h). Run as the owner (db_owner_url).
int MigrateCommand(PgDatabase& db, const Config& config);

// `telerad seed-demo`: the demo facility and accounts, if absent (after migrating).
int SeedDemoCommand(PgDatabase& db, const Config& config);

// `telerad demo-data`: the demo half-year, in one transaction; refuses (kExitRefused) a
// database that is not new or not seeded. Does not migrate or seed: on a database that
// is not new it must not write anything at all.
int DemoDataCommand(PgDatabase& db);

// `telerad user add --username U --role R [--facility CODE]`: creates an account with the
// password read from standard input (not echoed at a terminal); audited as "cli".
int UserAddCommand(PgDatabase& db, const Config& config,
                   const std::map<std::string, std::string>& options);

// `telerad serve`: runs the server until SIGINT or SIGTERM, then stops it cleanly. It
// never migrates: it runs as the application role (Server::CheckDatabase).
int ServeCommand(PgDatabase& db, const Config& config);

// The usage text printed by --help and after a usage error.
extern const char* const kUsage;

}  // namespace telerad
