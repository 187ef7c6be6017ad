#include "api/request_body.h"

#include "api/http_error.h"

namespace telerad::api {

Result<nlohmann::json> ParseObject(const Pistache::Rest::Request& req, bool empty_ok) {
  return ParseObjectText(req.body(), empty_ok);
}

Result<nlohmann::json> ParseObjectText(const std::string& body, bool empty_ok) {
  if (empty_ok && body.find_first_not_of(" \t\r\n") == std::string::npos)
    return nlohmann::json::object();
  nlohmann::json out = nlohmann::json::parse(body, nullptr, false);
  if (out.is_discarded() || !out.is_object()) return NotJsonObject();
  return out;
}

void JsonFields::Fail(const char* field, const char* what) {
  status_ = Status::Unprocessable(std::string("'") + field + "' " + what);
}

const nlohmann::json* JsonFields::Find(const char* field, Presence presence, bool null_is_absent) {
  if (!status_.ok()) return nullptr;
  auto it = object_.find(field);
  const bool required = presence == kRequired;
  if (it == object_.end() || (!required && null_is_absent && it->is_null())) {
    if (required) Fail(field, "is required");
    return nullptr;
  }
  return &*it;
}

JsonFields& JsonFields::String(const char* field, std::string& out, Presence presence) {
  if (const nlohmann::json* v = Find(field, presence, true)) {
    if (!v->is_string()) {
      Fail(field, "must be a string");
    } else {
      out = v->get<std::string>();
    }
  }
  return *this;
}

JsonFields& JsonFields::Bool(const char* field, bool& out, Presence presence) {
  if (const nlohmann::json* v = Find(field, presence, false)) {
    if (!v->is_boolean()) {
      Fail(field, "must be true or false");
    } else {
      out = v->get<bool>();
    }
  }
  return *this;
}

JsonFields& JsonFields::Int(const char* field, std::optional<int>& out, Presence presence) {
  if (const nlohmann::json* v = Find(field, presence, true)) {
    if (!v->is_number_integer() || v->get<int64_t>() < 0 || v->get<int64_t>() > INT32_MAX) {
      Fail(field, "must be a non-negative integer");
    } else {
      out = v->get<int>();
    }
  }
  return *this;
}

JsonFields& JsonFields::StringList(const char* field, std::vector<std::string>& out,
                                   Presence presence) {
  const nlohmann::json* v = Find(field, presence, false);
  if (!v) return *this;
  std::vector<std::string> values;
  if (v->is_array())
    for (const auto& item : *v) {
      if (!item.is_string()) break;
      values.push_back(item.get<std::string>());
    }
  if (!v->is_array() || values.size() != v->size()) {
    Fail(field, "must be an array of strings");
  } else {
    out = std::move(values);
  }
  return *this;
}

Result<std::optional<int>> ExpectedVersion(const Pistache::Rest::Request& req,
                                           const nlohmann::json& body) {
  std::optional<int> body_version;
  if (Status s = JsonFields(body).Int("version", body_version, kOptional).status(); !s.ok())
    return s;
  auto header = req.headers().tryGetRaw("If-Match");
  if (!header) return body_version;
  std::string v = header->value();
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos)
    return Status::InvalidArgument("If-Match must be an ETag this server gave, e.g. \"3\"");
  const int version = std::stoi(v);
  if (body_version && *body_version != version)
    return Status::InvalidArgument("If-Match and 'version' disagree");
  return std::optional<int>(version);
}

std::optional<std::string> BearerToken(const Pistache::Http::Request& req) {
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
