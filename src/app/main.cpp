// telerad: the server binary. Parses the command line and runs one command
// (commands.h); shaped like DCMTK's dcmrecv.cc: parse, configure, run, return a named
// exit code (exit_codes.h).
#include <malloc.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "api/route_description.h"
#include "dicom/toolkit_setup.h"
#include "src/accounts/sodium_password_hasher.h"
#include "src/app/commands.h"
#include "src/app/exit_codes.h"
#include "src/base/logging.h"
#include "src/config/config.h"
#include "src/pg/pg_database.h"

namespace telerad {

const char* const kUsage =
    "usage: telerad <command> [--config FILE]\n"
    "commands:\n"
    "  serve       run the DICOM and HTTP servers until SIGINT/SIGTERM\n"
    "  migrate     apply the schema migrations as the owner (db_owner_url), grant the\n"
    "              application role (db_app_role) its privileges, and exit\n"
    "  seed-demo   create the demo facility and accounts (password: $TELERAD_DEMO_PASSWORD,\n"
    "              default telerad-demo) if absent, and exit\n"
    "  demo-data   load the demo half-year (2025-01..06: facilities, signed CT and X-ray\n"
    "              studies, e-examinations, KPI targets) into a new, seeded database, and\n"
    "              exit; refuses a database that already holds studies or demo data\n"
    "  routes      print every HTTP route with the roles allowed to call it, and exit\n"
    "  user add --username NAME --role admin|radiologist|facility|ministry|specialist\n"
    "           [--facility CODE]\n"
    "              create an account (e.g. the first admin of a new install); the password\n"
    "              is read from the first line of standard input, never from the command line\n"
    "Settings come from the config file, then TELERAD_* environment variables (README).\n";

namespace {

struct CommandLine {
  std::string command;                         // "serve", "user add", ...
  std::string config_path;                     // --config
  std::map<std::string, std::string> options;  // other --name value pairs
};

bool IsKnown(const std::string& command) {
  return command == "serve" || command == "migrate" || command == "seed-demo" ||
         command == "demo-data" || command == "user add" || command == "routes";
}

// Returns the parsed command line, or an exit code to leave with (help or a usage error).
std::variant<CommandLine, int> Parse(int argc, char** argv) {
  CommandLine line;
  std::vector<std::string> words;  // command and subcommand
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return kExitOk;
    } else if (arg == "--config" && i + 1 < argc) {
      line.config_path = argv[++i];
    } else if (arg.rfind("--", 0) == 0 && i + 1 < argc) {
      line.options[arg] = argv[++i];
    } else if (!arg.empty() && arg[0] != '-' && words.size() < 2) {
      words.push_back(arg);
    } else {
      std::cerr << "telerad: unexpected argument '" << arg << "'\n" << kUsage;
      return kExitUsage;
    }
  }
  line.command = words.empty() ? "serve" : words[0];
  if (words.size() == 2) line.command += " " + words[1];
  if (!IsKnown(line.command) || (!line.options.empty() && line.command != "user add")) {
    std::cerr << "telerad: unknown command or option '" << line.command << "'\n" << kUsage;
    return kExitUsage;
  }
  return line;
}

int Run(const CommandLine& line) {
  if (line.command == "routes") {
    std::cout << api::DescribeRoutes();
    return kExitOk;
  }
  auto config = Config::Load(line.config_path);
  if (!config.ok()) {
    std::cerr << "telerad: " << config.status().message() << "\n";
    return kExitBadConfig;
  }
  SetUpLogging(config->log_level);
  if (Status dcmtk = dicom::SetUpDcmtk(config->log_level); !dcmtk.ok()) {
    CoreLog().critical("event=dcmtk_unusable reason=\"{}\"", dcmtk.ToString());
    return kExitInternal;
  }
  if (!InitSodium()) {
    CoreLog().critical("event=libsodium_init_failed");
    return kExitInternal;
  }
  // The server runs as the application role; the one-shot commands change the schema or
  // seed accounts, which is the owner's work (README, "Database roles").
  const bool serve = line.command == "serve";
  const std::string& url =
      serve || config->db_owner_url.empty() ? config->db_url : config->db_owner_url;
  PgDatabase db({url, serve ? config->EffectiveDbPoolSize() : 2, config->db_statement_timeout_ms});
  if (line.command == "migrate") return MigrateCommand(db, *config);
  if (line.command == "demo-data") return DemoDataCommand(db);
  if (line.command == "seed-demo") return SeedDemoCommand(db, *config);
  if (line.command == "user add") return UserAddCommand(db, *config, line.options);
  return ServeCommand(db, *config);
}

}  // namespace
}  // namespace telerad

int main(int argc, char** argv) {
  // Before any thread exists: DCMTK reads TCP_NODELAY from the environment for every
  // connection, and Debian's build leaves Nagle's algorithm on otherwise (STACK.md).
  setenv("TCP_NODELAY", "1", 1);
  // Frames, rendered images and the DICOM files read for them are buffers of 0.5-8 MiB
  // allocated and freed on every request. Past glibc's default thresholds each is a
  // fresh mmap, or an arena trimmed with madvise, and the next request faults every page
  // in again: about a quarter of a `rendered` answer's time under perf. Keep such
  // blocks in the arenas, and give memory back only past 32 MiB of free top.
  mallopt(M_MMAP_THRESHOLD, 8 << 20);
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
  auto parsed = telerad::Parse(argc, argv);
  if (const int* exit_code = std::get_if<int>(&parsed)) return *exit_code;
  return telerad::Run(std::get<telerad::CommandLine>(parsed));
}
