// Reply: what a route handler answers on success; HttpServer sends it and logs the
// request. Failures are a Status instead, answered by ErrorReply (http_error.h).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "src/base/model.h"

namespace telerad::api {

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;  // extra, e.g. ETag

  static Reply Json(const nlohmann::json& body, int status = 200) {
    // Invalid UTF-8 from a mislabelled DICOM file must not turn into a 500.
    Reply reply;
    reply.status = status;
    reply.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return reply;
  }
};

// Who is calling, filled by HttpServer before the handler runs; handlers may name what
// the audit entry is about when the route alone does not say it.
struct RequestContext {
  std::optional<Principal> principal;  // set on every authenticated route
  std::string remote_address;
  std::string audit_username;   // login: the name tried (there is no principal yet)
  std::string audit_object_id;  // overrides the route's object parameter
};

}  // namespace telerad::api
