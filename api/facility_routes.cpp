// /api/v1/facilities and /api/v1/facilities/{code}: the registry of sending facilities
// (admins).
#include "api/account_json.h"
#include "api/json_common.h"
#include "api/query_params.h"
#include "api/request_body.h"
#include "api/route_table.h"

namespace telerad::api {
namespace {

// "return_dicom": null clears the address; an object sets it (all three fields).
Status GetReturnDicom(const nlohmann::json& body, std::optional<std::optional<ReturnDicom>>& out) {
  auto it = body.find("return_dicom");
  if (it == body.end()) return Status::Ok();
  if (it->is_null()) {
    out = std::optional<ReturnDicom>();
    return Status::Ok();
  }
  if (!it->is_object()) return Status::Unprocessable("'return_dicom' must be an object or null");
  ReturnDicom r;
  std::optional<int> port;
  Status read = JsonFields(*it)
                    .String("host", r.host, kRequired)
                    .Int("port", port, kRequired)
                    .String("ae_title", r.ae_title, kRequired)
                    .status();
  if (!read.ok()) return read;
  r.port = *port;
  out = r;
  return Status::Ok();
}

// The DICOM origin settings (issue 12): "allowed_networks" (array of CIDR strings, []
// for any), "require_tls" (bool), "tls_client_sha256" (hex string, or null to clear).
Status GetDicomOrigin(const nlohmann::json& body, FacilityChange& c) {
  if (auto it = body.find("allowed_networks"); it != body.end()) {
    if (!it->is_array())
      return Status::InvalidArgument("'allowed_networks' must be an array of CIDR strings");
    std::vector<std::string> networks;
    for (const auto& n : *it) {
      if (!n.is_string())
        return Status::InvalidArgument("'allowed_networks' must be an array of CIDR strings");
      networks.push_back(n.get<std::string>());
    }
    c.allowed_networks = std::move(networks);
  }
  if (body.contains("require_tls")) {
    bool require = false;
    if (Status s = JsonFields(body).Bool("require_tls", require, kRequired).status(); !s.ok())
      return s;
    c.require_tls = require;
  }
  if (auto it = body.find("tls_client_sha256"); it != body.end()) {
    if (!it->is_null() && !it->is_string())
      return Status::InvalidArgument("'tls_client_sha256' must be a string or null");
    c.tls_client_sha256 = it->is_null() ? std::string() : it->get<std::string>();
  }
  return Status::Ok();
}

Status ParseChange(const nlohmann::json& body, FacilityChange& c) {
  std::string text;
  for (auto [field, target] : {std::pair{"name", &c.name}, std::pair{"aimag", &c.aimag},
                               std::pair{"soum", &c.soum}, std::pair{"ae_title", &c.ae_title}}) {
    if (!body.contains(field)) continue;
    if (Status s = JsonFields(body).String(field, text, kRequired).status(); !s.ok()) return s;
    *target = text;
  }
  if (body.contains("active")) {
    bool active = true;
    if (Status s = JsonFields(body).Bool("active", active, kRequired).status(); !s.ok()) return s;
    c.active = active;
  }
  if (Status s = GetDicomOrigin(body, c); !s.ok()) return s;
  return GetReturnDicom(body, c.return_dicom);
}

// The facility with its ETag (its version, for If-Match), or the service's error.
Result<Reply> FacilityReply(const Result<Facility>& f, int status = 200) {
  if (!f.ok()) return f.status();
  Reply reply = Reply::Json(FacilityJson(*f), status);
  reply.headers.emplace_back("ETag", VersionEtag(f->version));
  return reply;
}

Result<Reply> ListFacilities(ApiServices& services, const Pistache::Rest::Request&,
                             RequestContext& ctx) {
  auto all = services.admin->ListFacilities(*ctx.principal);
  if (!all.ok()) return all.status();
  return Reply::Json(ListJson(*all, FacilityJson));
}

Result<Reply> CreateFacility(ApiServices& services, const Pistache::Rest::Request& req,
                             RequestContext& ctx) {
  auto body = ParseObject(req);
  if (!body.ok()) return body.status();
  Facility f;
  Status read = JsonFields(*body)
                    .String("code", f.code, kRequired)
                    .String("name", f.name, kRequired)
                    .String("aimag", f.aimag, kRequired)
                    .String("soum", f.soum, kOptional)
                    .String("ae_title", f.ae_title, kRequired)
                    .Bool("active", f.active, kOptional)
                    .status();
  if (!read.ok()) return read;
  std::optional<std::optional<ReturnDicom>> return_dicom;
  if (Status s = GetReturnDicom(*body, return_dicom); !s.ok()) return s;
  if (return_dicom) f.return_dicom = *return_dicom;
  FacilityChange origin;
  if (Status s = GetDicomOrigin(*body, origin); !s.ok()) return s;
  if (origin.allowed_networks) f.allowed_networks = *origin.allowed_networks;
  if (origin.require_tls) f.require_tls = *origin.require_tls;
  if (origin.tls_client_sha256) f.tls_client_sha256 = *origin.tls_client_sha256;
  ctx.audit.object_id = f.code.substr(0, 64);
  return FacilityReply(services.admin->CreateFacility(*ctx.principal, f, ctx.audit), 201);
}

Result<Reply> GetFacility(ApiServices& services, const Pistache::Rest::Request& req,
                          RequestContext& ctx) {
  return FacilityReply(services.admin->GetFacility(*ctx.principal, PathParam(req, ":code")));
}

Result<Reply> ChangeFacility(ApiServices& services, const Pistache::Rest::Request& req,
                             RequestContext& ctx) {
  auto body = ParseObject(req);
  if (!body.ok()) return body.status();
  auto expected = ExpectedVersion(req, *body);
  if (!expected.ok()) return expected.status();
  FacilityChange change;
  if (Status s = ParseChange(*body, change); !s.ok()) return s;
  return FacilityReply(services.admin->ChangeFacility(*ctx.principal, PathParam(req, ":code"),
                                                      change, *expected, ctx.audit));
}

}  // namespace

void AddFacilityRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  Register(routes, Method::Get, "/api/v1/facilities", kAllowAdmin, ListFacilities);
  Register(routes, Method::Post, "/api/v1/facilities", kAllowAdmin, CreateFacility,
           {"facility.create", "facility", ""});
  Register(routes, Method::Get, "/api/v1/facilities/:code", kAllowAdmin, GetFacility);
  Register(routes, Method::Patch, "/api/v1/facilities/:code", kAllowAdmin, ChangeFacility,
           {"facility.update", "facility", ":code"});
}

}  // namespace telerad::api
