#include "api/query_params.h"

#include "api/json_format.h"

namespace telerad::api {

std::optional<Reply> TimeParam(const Pistache::Rest::Request& req, const char* name,
                               std::optional<TimePoint>& out) {
  if (auto v = req.query().get(name)) {
    out = ParseTime(*v);
    if (!out)
      return Reply::Error(400, "invalid_argument",
                          std::string(name) + " must be YYYY-MM-DD or an RFC 3339 time");
  }
  return std::nullopt;
}

std::optional<Reply> LimitParam(const Pistache::Rest::Request& req, int& out) {
  if (auto v = req.query().get("limit")) {
    try {
      size_t used = 0;
      out = std::stoi(*v, &used);
      if (used != v->size()) throw std::invalid_argument("limit");
    } catch (const std::exception&) {
      return Reply::Error(400, "invalid_argument", "limit must be an integer");
    }
  }
  return std::nullopt;
}

}  // namespace telerad::api
