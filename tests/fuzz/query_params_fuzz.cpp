// Fuzzes the readers of URL query values (api/query_params.h, api/json_common.h):
// percent-decoding and the time filter. A decoded value goes to PostgreSQL as a text
// parameter and back to clients in JSON, so it must be valid UTF-8 without NUL.
#include <cstdint>
#include <string>

#include "api/json_common.h"
#include "api/query_params.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string raw(reinterpret_cast<const char*>(data), size);
  if (auto decoded = telerad::api::PercentDecode(raw)) {
    if (decoded->find('\0') != std::string::npos) __builtin_trap();
    try {
      (void)nlohmann::json(*decoded).dump();  // throws on anything but valid UTF-8
    } catch (const nlohmann::json::type_error&) {
      __builtin_trap();
    }
  }
  (void)telerad::api::ParseTime(raw);
  return 0;
}
