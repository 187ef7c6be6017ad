// What the HTTP door reads from a Pistache request, on any thread (a request is a
// plain copy once handed to a worker): its method's name, its client, a raw header,
// whether it came over HTTPS through a trusted proxy, and what the wire writer needs.
#pragma once

#include <pistache/http.h>

#include <optional>
#include <string>

#include "api/wire_response.h"
#include "src/config/config.h"

namespace telerad::api {

const char* MethodName(Pistache::Http::Method m);

// The request's client address (src/base/client_address.h): the peer, or what a trusted
// proxy forwarded.
std::string ClientOf(const Pistache::Http::Request& req, const Config& config);

std::optional<std::string> RawHeader(const Pistache::Http::Request& req, const char* name);

// Whether the client reached the trusted proxy in front of us over HTTPS.
bool OverHttps(const Pistache::Http::Request& req, const Config& config);

// Whether a proxy may stand between the client and us (one is configured, or the request
// carries a forwarding header).
bool MaybeProxied(const Pistache::Http::Request& req, const Config& config);

WireRequest WireRequestOf(const Pistache::Http::Request& req);

}  // namespace telerad::api
