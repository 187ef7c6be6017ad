// The one table from telerad Status codes to HTTP statuses and API error codes
// (API.md: {"error":{"code","message"}} with 400/401/403/404/409/422/503).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "src/base/status.h"

namespace telerad::api {

int HttpStatusFor(StatusCode code);

// The JSON body for an error. `message` must be safe for the client: services put no
// SQL, paths or patient data in Status messages, and the handler may override it.
nlohmann::json ErrorBody(const std::string& code, const std::string& message);

}  // namespace telerad::api
