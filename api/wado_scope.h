// What the WADO-RS topic files share: who may read images, and the scope a request's
// path names.
#pragma once

#include <pistache/router.h>

#include "api/route_table.h"
#include "src/imaging/instance_images.h"

namespace telerad::api {

constexpr RoleSet kImageReaders = kAllowAdmin | kAllowRadiologist | kAllowFacility;

// The study, and the series and instance when the route names them.
ImageScope ScopeOf(const Pistache::Rest::Request& req, bool series, bool instance);

// The routes of wado_retrieve_routes.cpp, wado_frames_routes.cpp and
// wado_rendered_routes.cpp, audited as `images`.
void AddWadoRetrieveRoutes(RouteTable& routes, const AuditSpec& images);
void AddWadoFrameRoutes(RouteTable& routes, const AuditSpec& images);
void AddWadoRenderedRoutes(RouteTable& routes, const AuditSpec& images);

}  // namespace telerad::api
