// SiteFiles: the path map of the origin's files, for GET and HEAD paths that no API
// route takes (HttpServer::NotFound). The pages (pages_files.h) and the OHIF viewer
// (viewer_files.h) share the origin; OHIF's build expects its root, so:
//
//   /api/…, /dicomweb/…  never a file: a JSON 404 however spelled (//api/x, /%61pi/)
//   /                    the pages' index.html (their router picks the user's home page)
//   /app, /app/…         the pages: files of pages_dir, else index.html for a route
//   anything else        the viewer: OHIF's files (/app.bundle.….js, /assets/…,
//                        /app-config.js) and its routes (/viewer, /notfoundstudy, …)
//
// Without pages_dir, "/" is the viewer's as before; without viewer_dir, its paths are
// JSON 404s. Every path is percent-decoded and refused (404) when it holds NUL, a
// backslash or a "." or ".." segment (ViewerRelativePath).
#pragma once

#include <optional>
#include <string_view>

#include "api/pages_files.h"
#include "api/reply.h"
#include "api/viewer_files.h"
#include "src/base/status.h"

namespace telerad::api {

class SiteFiles {
 public:
  SiteFiles(std::optional<ViewerFiles> viewer, std::optional<PagesFiles> pages)
      : viewer_(std::move(viewer)), pages_(std::move(pages)) {}

  // The answer to GET or HEAD of `raw_path` (as sent: percent-encoded, no query).
  Result<Reply> Serve(std::string_view raw_path, bool accepts_gzip,
                      std::string_view if_none_match) const;

  bool has_viewer() const { return viewer_.has_value(); }
  bool has_pages() const { return pages_.has_value(); }

 private:
  std::optional<ViewerFiles> viewer_;
  std::optional<PagesFiles> pages_;
};

// The mount point of the pages: "/app/".
inline constexpr std::string_view kPagesPrefix = "app";

}  // namespace telerad::api
