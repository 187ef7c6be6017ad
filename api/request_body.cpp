#include "api/request_body.h"

namespace telerad::api {
namespace {

Reply FieldError(const char* field, const char* what) {
  return Reply::Error(422, "invalid_field", std::string("'") + field + "' " + what);
}

}  // namespace

std::optional<Reply> ParseObject(const Pistache::Rest::Request& req, nlohmann::json& out,
                                 bool empty_ok) {
  if (empty_ok && req.body().find_first_not_of(" \t\r\n") == std::string::npos) {
    out = nlohmann::json::object();
    return std::nullopt;
  }
  out = nlohmann::json::parse(req.body(), nullptr, false);
  if (out.is_discarded() || !out.is_object())
    return Reply::Error(400, "invalid_json", "request body must be a JSON object");
  return std::nullopt;
}

std::optional<Reply> GetString(const nlohmann::json& body, const char* field, std::string& out,
                               bool required) {
  auto it = body.find(field);
  if (it == body.end() || (!required && it->is_null())) {
    if (required) return FieldError(field, "is required");
    return std::nullopt;
  }
  if (!it->is_string()) return FieldError(field, "must be a string");
  out = it->get<std::string>();
  return std::nullopt;
}

std::optional<Reply> GetBool(const nlohmann::json& body, const char* field, bool& out,
                             bool required) {
  auto it = body.find(field);
  if (it == body.end()) {
    if (required) return FieldError(field, "is required");
    return std::nullopt;
  }
  if (!it->is_boolean()) return FieldError(field, "must be true or false");
  out = it->get<bool>();
  return std::nullopt;
}

std::optional<Reply> GetInt(const nlohmann::json& body, const char* field, std::optional<int>& out,
                            bool required) {
  auto it = body.find(field);
  if (it == body.end() || (!required && it->is_null())) {
    if (required) return FieldError(field, "is required");
    return std::nullopt;
  }
  if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > INT32_MAX)
    return FieldError(field, "must be a non-negative integer");
  out = it->get<int>();
  return std::nullopt;
}

std::optional<Reply> GetStringList(const nlohmann::json& body, const char* field,
                                   std::vector<std::string>& out, bool required) {
  auto it = body.find(field);
  if (it == body.end()) {
    if (required) return FieldError(field, "is required");
    return std::nullopt;
  }
  if (!it->is_array()) return FieldError(field, "must be an array of strings");
  std::vector<std::string> values;
  for (const auto& v : *it) {
    if (!v.is_string()) return FieldError(field, "must be an array of strings");
    values.push_back(v.get<std::string>());
  }
  out = std::move(values);
  return std::nullopt;
}

std::optional<Reply> ExpectedVersion(const Pistache::Rest::Request& req,
                                     std::optional<int> body_version, std::optional<int>& out) {
  auto header = req.headers().tryGetRaw("If-Match");
  if (!header) {
    out = body_version;
    return std::nullopt;
  }
  std::string v = header->value();
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos)
    return Reply::Error(400, "invalid_argument", "If-Match must be the report's ETag, e.g. \"3\"");
  const int version = std::stoi(v);
  if (body_version && *body_version != version)
    return Reply::Error(400, "invalid_argument", "If-Match and 'version' disagree");
  out = version;
  return std::nullopt;
}

std::optional<std::string> BearerToken(const Pistache::Rest::Request& req) {
  auto raw = req.headers().tryGetRaw("Authorization");
  if (!raw) return std::nullopt;
  const std::string& value = raw->value();
  static const std::string kPrefix = "Bearer ";
  if (value.size() <= kPrefix.size() || value.compare(0, kPrefix.size(), kPrefix) != 0)
    return std::nullopt;
  return value.substr(kPrefix.size());
}

std::string VersionEtag(int version) { return "\"" + std::to_string(version) + "\""; }

}  // namespace telerad::api
