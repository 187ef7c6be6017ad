// POST /api/v1/auth/login and /api/v1/auth/logout, GET /api/v1/auth/session
#include "api/browser_session.h"
#include "api/json_common.h"
#include "api/request_body.h"
#include "api/route_table.h"

namespace telerad::api {
namespace {

// The attempt is audited under the name tried (there is no principal yet); a body that
// names no one is refused before that and leaves no row.
Result<Reply> Login(ApiServices& services, const Pistache::Rest::Request& req,
                    RequestContext& ctx) {
  auto body = ParseObject(req);
  if (!body.ok()) return body.status();
  for (const char* field : {"username", "password"})
    if (!body->contains(field) || !(*body)[field].is_string())
      return Status::Unprocessable(std::string("'") + field + "' must be a string");
  if (body->contains("cookie") && !(*body)["cookie"].is_boolean())
    return Status::Unprocessable("'cookie' must be a boolean");
  const bool cookie = body->value("cookie", false);
  const std::string username = (*body)["username"].get<std::string>();
  ctx.audit.username = username.substr(0, 64);
  ctx.audit.object_id = username.substr(0, 64);
  // The address is the TCP peer's, or the forwarded one only when the peer is a
  // configured trusted proxy (ctx.remote_address): from anyone else X-Forwarded-For is
  // the client's own word and would let it pick a fresh address per guess. Demo accounts
  // sign in only when no proxy may be in between (ctx.maybe_proxied, AuthService::Login).
  auto login = services.auth->Login(username, (*body)["password"].get<std::string>(),
                                    ctx.remote_address, ctx.audit, ctx.maybe_proxied);
  if (!login.ok()) return login.status();
  Reply reply = Reply::Json({{"token", login->token},
                             {"role", ToString(login->role)},
                             {"expires_at", FormatTime(login->expires_at)}});
  if (cookie) {
    // The cookie lives as long as the session (token_ttl); its end is the server's anyway.
    const auto max_age = std::chrono::duration_cast<std::chrono::seconds>(
        login->expires_at - std::chrono::system_clock::now());
    reply.headers.emplace_back("Set-Cookie", SessionCookie(login->token, max_age, ctx.over_https));
  }
  return reply;
}

Result<Reply> Logout(ApiServices& services, const Pistache::Rest::Request& req,
                     RequestContext& ctx) {
  auto credential = RequestCredential(req);
  if (Status s = services.auth->Logout(credential ? credential->token : "", ctx.audit); !s.ok())
    return s;
  Reply reply = Reply::Json({{"status", "logged_out"}});
  reply.headers.emplace_back("Set-Cookie", ClearedSessionCookie(ctx.over_https));
  return reply;
}

// Whether the request carries a live session (token or cookie), and whose: the pages
// ask it when they start, since their script cannot read the HttpOnly cookie. Public,
// so that "not signed in" is an answer (200) rather than a 401 the browser reports as
// a failed load. No patient data: not audited.
Result<Reply> SessionOf(ApiServices& services, const Pistache::Rest::Request& req,
                        RequestContext&) {
  const nlohmann::json signed_out = {{"signed_in", false}};
  auto credential = RequestCredential(req);
  // A machine token is a gateway's, not a session.
  if (!credential ||
      (!credential->from_cookie && MachineTokenService::LooksLikeMachineToken(credential->token)))
    return Reply::Json(signed_out);
  auto who = services.auth->Authenticate(credential->token);
  if (!who.ok())
    return who.status().code() == StatusCode::kUnauthenticated
               ? Result<Reply>(Reply::Json(signed_out))
               : Result<Reply>(who.status());
  return Reply::Json(
      {{"signed_in", true}, {"username", who->username}, {"role", ToString(who->role)}});
}

}  // namespace

void AddAuthRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  Register(routes, Method::Post, "/api/v1/auth/login", kPublic, Login, {"auth.login", "user", ""});
  Register(routes, Method::Post, "/api/v1/auth/logout", kAnyRole, Logout,
           {"auth.logout", "user", ""});
  Register(routes, Method::Get, "/api/v1/auth/session", kPublic, SessionOf);
}

}  // namespace telerad::api
