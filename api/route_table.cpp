#include "api/route_table.h"

namespace telerad::api {

RouteTable AllRoutes() {
  RouteTable routes;
  AddHealthRoutes(routes);
  AddMetricsRoutes(routes);
  AddAuthRoutes(routes);
  AddStudyRoutes(routes);
  AddReportRoutes(routes);
  AddTemplateRoutes(routes);
  AddCodeListRoutes(routes);
  AddConsultationRoutes(routes);
  AddFacilityRoutes(routes);
  AddMachineTokenRoutes(routes);
  AddUserRoutes(routes);
  AddKpiRoutes(routes);
  AddAuditRoutes(routes);
  AddQidoRoutes(routes);
  AddWadoRoutes(routes);
  AddStowRoutes(routes);
  return routes;
}

Route& Register(RouteTable& routes, Pistache::Http::Method method, std::string path, RoleSet roles,
                Handler handler, AuditSpec audit) {
  routes.push_back({method, std::move(path), roles, handler, std::move(audit)});
  return routes.back();
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
  std::string out;
  for (const Route& r : AllRoutes()) {
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
