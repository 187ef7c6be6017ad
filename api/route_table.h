// RouteTable: the whole HTTP surface as data. Each topic file adds its routes in one
// list, one line per route naming a handler function (Orthanc's
// Register("/system", GetSystemInformation)); HttpServer installs them, and tests read
// the table to check the OpenAPI document and the role matrix. The table holds no
// service: handlers receive the services when called, so the table is plain data.
#pragma once

#include <pistache/http.h>
#include <pistache/router.h>

#include <string>
#include <vector>

#include "api/api_services.h"
#include "api/reply.h"
#include "api/route_description.h"
#include "src/base/status.h"

namespace telerad::api {

// What the audit trail records for a route (every read or change of patient data, every
// login, every read of the trail). HttpServer prefills the entry (RequestContext::audit)
// before the handler; a change's repository appends it in the change's transaction, and
// HttpServer writes any other after the handler, with the outcome AuditOutcome() of how
// the request ended, so no route can forget it. An empty action: not audited.
struct AuditSpec {
  std::string action;        // e.g. "study.view"
  std::string object_type;   // e.g. "study"
  std::string object_param;  // path parameter naming the object, e.g. ":study_uid"
  // A read recorded durably (before the request is logged done) rather than by the
  // batched writer: reads of the audit trail itself.
  bool durable = false;
  // A change recorded as one summary entry after the handler, with the outcome the
  // handler put in the entry when it answered: STOW-RS stores each instance in its own
  // transaction and records one entry per request, as the DICOM port's dicom.store does
  // per association.
  bool summary = false;
  // A read recorded once per session and object (ApiServices::audit_once): the image
  // routes a viewer calls hundreds of times per study. Refusals are always recorded.
  bool once_per_session = false;
};

// Which roles may call a route. HttpServer checks it after authentication and before the
// handler, so a wrong role gets 403 whatever its request looks like; the services check
// their own rules again (defence in depth). kPublic: no token needed.
using RoleSet = unsigned;
constexpr RoleSet kPublic = 0;
constexpr RoleSet kAllowAdmin = 1u << 0;
constexpr RoleSet kAllowRadiologist = 1u << 1;
constexpr RoleSet kAllowFacility = 1u << 2;
constexpr RoleSet kAllowMinistry = 1u << 3;
constexpr RoleSet kAllowSpecialist = 1u << 4;
constexpr RoleSet kAnyRole =
    kAllowAdmin | kAllowRadiologist | kAllowFacility | kAllowMinistry | kAllowSpecialist;
RoleSet RoleBit(Role role);

// A route's handler: a named function of its topic file. It answers a Reply, or a Status
// that HttpServer answers with ErrorReply (http_error.h) and records as the audit outcome.
// Runs on a Pistache reactor thread; `ctx.principal` is set unless the route is kPublic
// (or admitted the scrape token).
using Handler = Result<Reply> (*)(ApiServices& services, const Pistache::Rest::Request& req,
                                  RequestContext& ctx);

struct Route {
  Pistache::Http::Method method;
  std::string path;  // Pistache template, e.g. /api/v1/studies/:study_uid
  RoleSet roles;
  Handler handler;
  AuditSpec audit;
  // Also admits, instead of a session of one of `roles`, the configured scrape token
  // (config metrics_token) for a Prometheus server; the handler then sees no principal.
  bool accepts_scrape_token = false;
  // Also admits a facility's machine token (MachineTokenService), which every other
  // route refuses with 403: a gateway may store instances and nothing else.
  bool accepts_machine_token = false;
  // The body may be as large as dicomweb_max_stow_bytes instead of
  // http_max_request_bytes (STOW-RS).
  bool large_body = false;
};

using RouteTable = std::vector<Route>;

// Appends a route to `routes`: the one line per route of a topic's Add...Routes. Returns
// it for the rare extra (accepts_scrape_token); valid until the next append.
Route& Register(RouteTable& routes, Pistache::Http::Method method, std::string path, RoleSet roles,
                Handler handler, AuditSpec audit = {});

void AddHealthRoutes(RouteTable& routes);
void AddMetricsRoutes(RouteTable& routes);
void AddAuthRoutes(RouteTable& routes);
void AddStudyRoutes(RouteTable& routes);
void AddReportRoutes(RouteTable& routes);
void AddTemplateRoutes(RouteTable& routes);
void AddCodeListRoutes(RouteTable& routes);
void AddConsultationRoutes(RouteTable& routes);
void AddAuditRoutes(RouteTable& routes);
void AddFacilityRoutes(RouteTable& routes);
void AddUserRoutes(RouteTable& routes);
void AddKpiRoutes(RouteTable& routes);
void AddWadoRoutes(RouteTable& routes);
void AddQidoRoutes(RouteTable& routes);
void AddMachineTokenRoutes(RouteTable& routes);
void AddStowRoutes(RouteTable& routes);

// Every route of the API, in the order they are documented.
RouteTable AllRoutes();

}  // namespace telerad::api
