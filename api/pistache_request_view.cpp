#include "api/pistache_request_view.h"

#include "src/base/client_address.h"
#include "src/base/ip_network.h"

namespace telerad::api {

using Pistache::Http::Method;

const char* MethodName(Method m) {
  switch (m) {
#define METHOD(name, str) \
  case Method::name:      \
    return str;
    HTTP_METHODS
#undef METHOD
  }
  return "?";
}

std::string ClientOf(const Pistache::Http::Request& req, const Config& config) {
  // Raw::value() returns a copy: kept here while the view into it is used.
  std::optional<std::string> header;
  if (auto raw = req.headers().tryGetRaw("X-Forwarded-For")) header = raw->value();
  std::optional<std::string_view> forwarded_for;
  if (header) forwarded_for = *header;
  return ClientAddress(req.address().host(), forwarded_for, config.http_trusted_proxies);
}

std::optional<std::string> RawHeader(const Pistache::Http::Request& req, const char* name) {
  if (auto raw = req.headers().tryGetRaw(name)) return raw->value();
  return std::nullopt;
}

bool OverHttps(const Pistache::Http::Request& req, const Config& config) {
  auto proto = RawHeader(req, "X-Forwarded-Proto");
  if (!proto || *proto != "https") return false;
  return ContainsAny(config.http_trusted_proxies, req.address().host());
}

WireRequest WireRequestOf(const Pistache::Http::Request& req) {
  WireRequest wire;
  wire.http10 = req.version() == Pistache::Http::Version::Http10;
  wire.head = req.method() == Method::Head;
  if (auto connection = req.headers().tryGet<Pistache::Http::Header::Connection>()) {
    wire.connection_close = connection->control() == Pistache::Http::ConnectionControl::Close;
    wire.connection_keep_alive =
        connection->control() == Pistache::Http::ConnectionControl::KeepAlive;
  }
  return wire;
}

bool MaybeProxied(const Pistache::Http::Request& req, const Config& config) {
  return !config.http_trusted_proxies.empty() || req.headers().tryGetRaw("Forwarded") ||
         req.headers().tryGetRaw("X-Forwarded-For") || req.headers().tryGetRaw("X-Real-IP");
}

}  // namespace telerad::api
