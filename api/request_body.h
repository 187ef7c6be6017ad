// Reading JSON request bodies and headers, with the API's error answers (API.md):
// 400 invalid_json for a body that is not a JSON object, 422 invalid_field for a field
// that is missing or of the wrong type. Messages name the field, never echo its value.
#pragma once

#include <pistache/router.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/reply.h"

namespace telerad::api {

// Parses the body as a JSON object. An empty body counts as {} when `empty_ok`.
std::optional<Reply> ParseObject(const Pistache::Rest::Request& req, nlohmann::json& out,
                                 bool empty_ok = false);

// Each getter leaves `out` unchanged when the field is absent and not `required`;
// otherwise it returns the error reply to send.
std::optional<Reply> GetString(const nlohmann::json& body, const char* field, std::string& out,
                               bool required);
std::optional<Reply> GetBool(const nlohmann::json& body, const char* field, bool& out,
                             bool required);
std::optional<Reply> GetInt(const nlohmann::json& body, const char* field, std::optional<int>& out,
                            bool required);
std::optional<Reply> GetStringList(const nlohmann::json& body, const char* field,
                                   std::vector<std::string>& out, bool required);

// The version named by If-Match ("3", "\"3\"", W/"3"), or by `body_version` when the
// header is absent. Error reply for a malformed header.
std::optional<Reply> ExpectedVersion(const Pistache::Rest::Request& req,
                                     std::optional<int> body_version, std::optional<int>& out);

// The token of an "Authorization: Bearer <token>" header, if there is one.
std::optional<std::string> BearerToken(const Pistache::Rest::Request& req);

// ETag of a report version: "\"<version>\"".
std::string VersionEtag(int version);

}  // namespace telerad::api
