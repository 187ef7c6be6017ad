// Reply: what a route handler answers on success; HttpServer sends it and logs the
// request. Failures are a Status instead, answered by ErrorReply (http_error.h).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/body_piece.h"
#include "src/base/audit_entry.h"
#include "src/base/model.h"

namespace telerad::api {

// The body sent is `body` followed by `pieces` (memory or file slices, body_piece.h);
// ResponseSender (response_sender.h) writes it without ever blocking the reactor thread.
// A header in `headers` named Cache-Control replaces the default `no-store`.
struct Reply {
  int status = 200;
  std::string body;
  std::vector<BodyPiece> pieces;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;  // extra, e.g. ETag

  size_t body_size() const {
    size_t size = body.size();
    for (const BodyPiece& piece : pieces) size += piece.size();
    return size;
  }

  static Reply Json(const nlohmann::json& body, int status = 200) {
    // Invalid UTF-8 from a mislabelled DICOM file must not turn into a 500.
    Reply reply;
    reply.status = status;
    reply.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return reply;
  }
};

// Who is calling, filled by HttpServer before the handler runs.
//
// `audit` is the request's audit entry, prefilled from the route and the caller with
// outcome "success". A change route hands it to its service, whose repository appends
// it in the change's own transaction and sets its id; HttpServer then records nothing
// more. Otherwise (a read, a refusal, an error) HttpServer records it after the handler
// with the outcome. Handlers may name what the entry is about when the route alone does
// not say it (object_id; for a login the username tried) and, for a list, which
// objects it returned (returned_ids).
struct RequestContext {
  std::optional<Principal> principal;  // set on every authenticated route
  std::string remote_address;
  // The request may have come through a proxy: it carries a forwarding header, or this
  // server is configured to sit behind one (http_trusted_proxies). A loopback peer is
  // then no proof that the client sits on this machine (demo accounts, auth_routes.cpp).
  bool maybe_proxied = false;
  // The client reached us over HTTPS: a trusted proxy (http_trusted_proxies) said so in
  // X-Forwarded-Proto. Session cookies are then marked Secure.
  bool over_https = false;
  AuditEntry audit;
};

}  // namespace telerad::api
