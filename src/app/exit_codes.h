// The exit codes of the telerad binary (README, "Commands of the binary"), named once.
#pragma once

namespace telerad {

enum ExitCode {
  kExitOk = 0,
  kExitUsage = 2,
  kExitBadConfig = 3,
  kExitDatabase = 4,
  kExitStorage = 5,
  kExitCannotListen = 6,
  kExitInternal = 7,
  kExitRefused = 8,             // demo-data on a database that is not new, or not seeded
  kExitUnsafeDatabaseRole = 9,  // serve connected as a role that could rewrite the audit trail
};

}  // namespace telerad
