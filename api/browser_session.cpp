#include "api/browser_session.h"

#include "api/request_body.h"

namespace telerad::api {
namespace {

bool IsSafeMethod(Pistache::Http::Method method) {
  using Pistache::Http::Method;
  return method == Method::Get || method == Method::Head || method == Method::Options;
}

std::string CookieAttributes(bool secure) {
  return std::string("; Path=/; HttpOnly; SameSite=Strict") + (secure ? "; Secure" : "");
}

}  // namespace

std::optional<Credential> RequestCredential(const Pistache::Http::Request& request) {
  if (auto bearer = BearerToken(request)) return Credential{*bearer, false};
  const auto& cookies = request.cookies();
  if (!cookies.has(kSessionCookie)) return std::nullopt;
  std::string token = cookies.get(kSessionCookie).value;
  if (token.empty()) return std::nullopt;
  return Credential{std::move(token), true};
}

bool NeedsCsrfHeader(const Pistache::Http::Request& request, const Credential& credential) {
  if (!credential.from_cookie || IsSafeMethod(request.method())) return false;
  auto raw = request.headers().tryGetRaw(kCsrfHeader);
  return !raw || raw->value() != kCsrfValue;
}

std::string SessionCookie(const std::string& token, std::chrono::seconds max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + token + CookieAttributes(secure) +
         "; Max-Age=" + std::to_string(max_age.count() > 0 ? max_age.count() : 0);
}

std::string ClearedSessionCookie(bool secure) {
  return std::string(kSessionCookie) + "=" + CookieAttributes(secure) + "; Max-Age=0";
}

}  // namespace telerad::api
