// /api/v1/facilities and /api/v1/facilities/{code}: the registry of sending facilities
// (admins).
#include "api/json_format.h"
#include "api/request_body.h"
#include "api/route_table.h"

namespace telerad::api {
namespace {

// "return_dicom": null clears the address; an object sets it (all three fields).
std::optional<Reply> GetReturnDicom(const nlohmann::json& body,
                                    std::optional<std::optional<ReturnDicom>>& out) {
  auto it = body.find("return_dicom");
  if (it == body.end()) return std::nullopt;
  if (it->is_null()) {
    out = std::optional<ReturnDicom>();
    return std::nullopt;
  }
  if (!it->is_object())
    return Reply::Error(422, "invalid_field", "'return_dicom' must be an object or null");
  ReturnDicom r;
  std::optional<int> port;
  if (auto e = GetString(*it, "host", r.host, true)) return e;
  if (auto e = GetInt(*it, "port", port, true)) return e;
  if (auto e = GetString(*it, "ae_title", r.ae_title, true)) return e;
  r.port = *port;
  out = r;
  return std::nullopt;
}

std::optional<Reply> ParseChange(const nlohmann::json& body, FacilityChange& c) {
  std::string text;
  for (auto [field, target] : {std::pair{"name", &c.name}, std::pair{"aimag", &c.aimag},
                               std::pair{"soum", &c.soum}, std::pair{"ae_title", &c.ae_title}}) {
    if (!body.contains(field)) continue;
    if (auto e = GetString(body, field, text, true)) return e;
    *target = text;
  }
  if (body.contains("active")) {
    bool active = true;
    if (auto e = GetBool(body, "active", active, true)) return e;
    c.active = active;
  }
  return GetReturnDicom(body, c.return_dicom);
}

Reply FacilityReply(const Result<Facility>& f, int status = 200) {
  if (!f.ok()) return Reply::Error(f.status());
  return Reply::Json(FacilityJson(*f), status);
}

}  // namespace

void AddFacilityRoutes(RouteTable& routes, ApiServices& services) {
  using Pistache::Http::Method;
  routes.push_back({Method::Get,
                    "/api/v1/facilities",
                    kAllowAdmin,
                    [&services](const Pistache::Rest::Request&, const RequestContext& ctx) {
                      auto all = services.admin->ListFacilities(*ctx.principal);
                      if (!all.ok()) return Reply::Error(all.status());
                      return Reply::Json(ListJson(*all, FacilityJson));
                    },
                    {}});
  routes.push_back({Method::Post,
                    "/api/v1/facilities",
                    kAllowAdmin,
                    [&services](const Pistache::Rest::Request& req, RequestContext& ctx) {
                      nlohmann::json body;
                      if (auto error = ParseObject(req, body)) return *error;
                      Facility f;
                      if (auto e = GetString(body, "code", f.code, true)) return *e;
                      if (auto e = GetString(body, "name", f.name, true)) return *e;
                      if (auto e = GetString(body, "aimag", f.aimag, true)) return *e;
                      if (auto e = GetString(body, "soum", f.soum, false)) return *e;
                      if (auto e = GetString(body, "ae_title", f.ae_title, true)) return *e;
                      if (auto e = GetBool(body, "active", f.active, false)) return *e;
                      std::optional<std::optional<ReturnDicom>> return_dicom;
                      if (auto e = GetReturnDicom(body, return_dicom)) return *e;
                      if (return_dicom) f.return_dicom = *return_dicom;
                      ctx.audit_object_id = f.code.substr(0, 64);
                      return FacilityReply(services.admin->CreateFacility(*ctx.principal, f), 201);
                    },
                    {"facility.create", "facility", ""}});
  routes.push_back({Method::Get,
                    "/api/v1/facilities/:code",
                    kAllowAdmin,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      return FacilityReply(services.admin->GetFacility(
                          *ctx.principal, req.param(":code").as<std::string>()));
                    },
                    {}});
  routes.push_back({Method::Patch,
                    "/api/v1/facilities/:code",
                    kAllowAdmin,
                    [&services](const Pistache::Rest::Request& req, const RequestContext& ctx) {
                      nlohmann::json body;
                      if (auto error = ParseObject(req, body)) return *error;
                      FacilityChange change;
                      if (auto e = ParseChange(body, change)) return *e;
                      return FacilityReply(services.admin->ChangeFacility(
                          *ctx.principal, req.param(":code").as<std::string>(), change));
                    },
                    {"facility.update", "facility", ":code"}});
}

}  // namespace telerad::api
