#include "api/route_table.h"

namespace telerad::api {

RouteTable AllRoutes(ApiServices& services) {
  RouteTable routes;
  AddHealthRoutes(routes, services);
  AddMetricsRoutes(routes, services);
  AddAuthRoutes(routes, services);
  AddStudyRoutes(routes, services);
  AddReportRoutes(routes, services);
  AddConsultationRoutes(routes, services);
  AddFacilityRoutes(routes, services);
  AddUserRoutes(routes, services);
  AddKpiRoutes(routes, services);
  AddAuditRoutes(routes, services);
  return routes;
}

RoleSet RoleBit(Role role) {
  switch (role) {
    case Role::kAdmin:
      return kAllowAdmin;
    case Role::kRadiologist:
      return kAllowRadiologist;
    case Role::kFacility:
      return kAllowFacility;
    case Role::kMinistry:
      return kAllowMinistry;
    case Role::kSpecialist:
      return kAllowSpecialist;
  }
  return 0;
}

std::string DescribeRoutes() {
  ApiServices none;  // handlers are not called
  std::string out;
  for (const Route& r : AllRoutes(none)) {
    std::string roles;
    for (Role role :
         {Role::kAdmin, Role::kRadiologist, Role::kFacility, Role::kMinistry, Role::kSpecialist})
      if (r.roles & RoleBit(role))
        roles += (roles.empty() ? "" : ",") + std::string(ToString(role));
    out += std::string(Pistache::Http::methodString(r.method)) + " " + r.path + " " +
           (roles.empty() ? "public" : roles) + "\n";
  }
  return out;
}

}  // namespace telerad::api
