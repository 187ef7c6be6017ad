// Fuzzes the reading of JSON request bodies (api/request_body.h): any body text, then the
// field reads every route makes, on the fields a body of the API carries.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/request_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  for (bool empty_ok : {false, true}) {
    auto parsed = telerad::api::ParseObjectText(body, empty_ok);
    if (!parsed.ok()) continue;
    const nlohmann::json object = parsed.value();  // routes keep a copy, as Result does
    std::string text;
    bool flag = false;
    std::optional<int> number;
    std::vector<std::string> list;
    // Each reader on its own (a chain stops at the first error) and all in one chain.
    (void)telerad::api::JsonFields(object).String("username", text, telerad::api::kRequired);
    (void)telerad::api::JsonFields(object).Bool("critical", flag, telerad::api::kOptional);
    (void)telerad::api::JsonFields(object).Int("version", number, telerad::api::kOptional);
    (void)telerad::api::JsonFields(object).StringList("icd_codes", list, telerad::api::kOptional);
    telerad::api::JsonFields fields(object);
    fields.String("text", text, telerad::api::kOptional)
        .Int("limit", number, telerad::api::kRequired)
        .StringList("codes", list, telerad::api::kRequired)
        .Bool("final", flag, telerad::api::kRequired);
    // A read that succeeded leaves a valid value: a non-negative int.
    if (number && *number < 0) __builtin_trap();
  }
  return 0;
}
