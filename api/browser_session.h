// Browser sessions (API.md, "Browser sessions"): the login can also set the session
// token as an HttpOnly, SameSite=Strict cookie, so the viewer's page and its DICOMweb
// requests are authenticated without script access to the token. Every route accepts
// the cookie or the Bearer header (the header wins when both come). A state-changing
// request authenticated by the cookie alone must carry X-Requested-With: telerad: a
// cross-site form cannot set that header, and SameSite=Strict already keeps the cookie
// off cross-site requests in current browsers; the header covers older ones and
// same-site subdomains.
#pragma once

#include <pistache/http.h>

#include <chrono>
#include <optional>
#include <string>

namespace telerad::api {

constexpr const char* kSessionCookie = "telerad_session";
constexpr const char* kCsrfHeader = "X-Requested-With";
constexpr const char* kCsrfValue = "telerad";

struct Credential {
  std::string token;
  bool from_cookie = false;
};

// The Bearer token, else the session cookie; nullopt when neither.
std::optional<Credential> RequestCredential(const Pistache::Http::Request& request);
// Whether a request authenticated by `credential` must show the CSRF header and does not.
bool NeedsCsrfHeader(const Pistache::Http::Request& request, const Credential& credential);
// Set-Cookie values: the session for `max_age`, and the one that clears it.
std::string SessionCookie(const std::string& token, std::chrono::seconds max_age, bool secure);
std::string ClearedSessionCookie(bool secure);

}  // namespace telerad::api
