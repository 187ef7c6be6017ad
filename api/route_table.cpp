#include "api/route_table.h"

namespace telerad::api {

RouteTable AllRoutes(ApiServices& services) {
  RouteTable routes;
  AddHealthRoutes(routes, services);
  AddAuthRoutes(routes, services);
  AddStudyRoutes(routes, services);
  AddReportRoutes(routes, services);
  AddFacilityRoutes(routes, services);
  AddUserRoutes(routes, services);
  AddAuditRoutes(routes, services);
  return routes;
}

}  // namespace telerad::api
