// Reading JSON request bodies and headers (API.md): a body that is not a JSON object is
// NotJsonObject() (400 "invalid_json"); a field that is missing or of the wrong type is
// kUnprocessable (422 "invalid_field"). Messages name the field, never echo its value.
#pragma once

#include <pistache/router.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "src/base/status.h"

namespace telerad::api {

// Parses the body as a JSON object. An empty body counts as {} when `empty_ok`.
Result<nlohmann::json> ParseObject(const Pistache::Rest::Request& req, bool empty_ok = false);
// The same on the body's text (tests/fuzz calls it without building a Pistache request).
Result<nlohmann::json> ParseObjectText(const std::string& body, bool empty_ok = false);

enum class Presence { kOptional, kRequired };
constexpr Presence kOptional = Presence::kOptional;
constexpr Presence kRequired = Presence::kRequired;

// Reads the fields of a JSON object, keeping the first error: after one, later reads do
// nothing, so a chain of reads ends in one check of status(). Each read leaves `out`
// unchanged when the field is absent and optional (and, for strings and integers, when
// it is null and optional). REQUIRES: `object` outlives the reader.
class JsonFields {
 public:
  explicit JsonFields(const nlohmann::json& object) : object_(object) {}

  JsonFields& String(const char* field, std::string& out, Presence presence);
  JsonFields& Bool(const char* field, bool& out, Presence presence);
  // A non-negative int.
  JsonFields& Int(const char* field, std::optional<int>& out, Presence presence);
  JsonFields& StringList(const char* field, std::vector<std::string>& out, Presence presence);

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

 private:
  // The field, or nullptr (with status_ set if it was required) when absent; nullptr too
  // once an earlier read failed.
  const nlohmann::json* Find(const char* field, Presence presence, bool null_is_absent);
  void Fail(const char* field, const char* what);

  const nlohmann::json& object_;
  Status status_;
};

// The version a conditional write expects: named by If-Match ("3", "\"3\"", W/"3"), or
// by the body's integer "version" when the header is absent (nullopt: neither).
// kInvalidArgument for a malformed header, a "version" that is not an integer, or a
// header and a "version" that disagree.
Result<std::optional<int>> ExpectedVersion(const Pistache::Rest::Request& req,
                                           const nlohmann::json& body);

// The token of an "Authorization: Bearer <token>" header, if there is one.
std::optional<std::string> BearerToken(const Pistache::Http::Request& req);

// ETag of a report, e-examination, template or facility version: "\"<version>\"".
std::string VersionEtag(int version);

}  // namespace telerad::api
