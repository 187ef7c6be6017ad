// The JSON of the registry an admin keeps: facilities and user accounts.
#pragma once

#include <nlohmann/json.hpp>

#include "src/accounts/user_repository.h"
#include "src/base/model.h"

namespace telerad::api {

// A facility: code, name, aimag, soum, ae_title, active, return_dicom (or null).
nlohmann::json FacilityJson(const Facility& facility);

// An account: username, role, facility_code (facility users, else null), active, demo,
// created_at. Never the password hash.
nlohmann::json UserJson(const UserRecord& user);

}  // namespace telerad::api
