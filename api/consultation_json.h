// The JSON of an online hospital e-examination.
#pragma once

#include <nlohmann/json.hpp>

#include "src/base/model.h"

namespace telerad::api {

// An e-examination (API.md's consultation object, plus version, cancel_reason and the
// times of its transitions).
nlohmann::json ConsultationJson(const Consultation& consultation);

}  // namespace telerad::api
