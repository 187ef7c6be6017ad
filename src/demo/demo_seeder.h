// DemoSeeder: the demo facility (AE title DEMO_SCU, Говь-Алтай) and the demo accounts
// admin, rad1, fac1, ministry1 (API.md), created only if absent. Accounts are flagged
// `demo`, and the server warns at start-up while any is active.
#pragma once

#include <string>

#include "src/accounts/password_hasher.h"
#include "src/accounts/user_repository.h"
#include "src/base/status.h"
#include "src/index/facility_repository.h"

namespace telerad {

// Idempotent: existing rows are left as they are. kUnavailable if the database is down.
Status SeedDemo(FacilityRepository& facilities, UserRepository& users, PasswordHasher& hasher,
                const std::string& password);

}  // namespace telerad
