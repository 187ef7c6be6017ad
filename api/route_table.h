// RouteTable: the whole HTTP surface as data. Each topic file adds its routes in one
// list (Orthanc's RegisterResources idea); HttpServer installs them, and tests read
// the table to check the OpenAPI document and the role matrix.
#pragma once

#include <pistache/http.h>
#include <pistache/router.h>

#include <functional>
#include <string>
#include <vector>

#include "api/reply.h"
#include "src/auth_service.h"
#include "src/health_service.h"
#include "src/study_service.h"

namespace telerad::api {

using Handler = std::function<Reply(const Pistache::Rest::Request&, const RequestContext&)>;

struct Route {
  Pistache::Http::Method method;
  std::string path;  // Pistache template, e.g. /api/v1/studies/:study_uid
  bool authenticated;
  Handler handler;
};

// The services the HTTP door calls. REQUIRES: all outlive the server.
struct ApiServices {
  AuthService& auth;
  StudyService& studies;
  HealthService& health;
};

using RouteTable = std::vector<Route>;

void AddHealthRoutes(RouteTable& routes, ApiServices& services);
void AddAuthRoutes(RouteTable& routes, ApiServices& services);
void AddStudyRoutes(RouteTable& routes, ApiServices& services);

// Every route of the API, in the order they are documented.
RouteTable AllRoutes(ApiServices& services);

}  // namespace telerad::api
