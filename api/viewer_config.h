// The OHIF viewer's /app-config.js, written by telerad rather than served from the
// viewer's folder: one DICOMweb data source, telerad's own /dicomweb on the same origin
// (so the session cookie goes along and no CORS is needed).
#pragma once

#include <string>

namespace telerad::api {

// A script setting window.config (OHIF 3.13.2's app configuration).
std::string ViewerAppConfig();

}  // namespace telerad::api
