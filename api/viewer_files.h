// ViewerFiles: the OHIF viewer's prebuilt dist/ folder (viewer_dir), served at the
// origin's root, since its build expects "/" (window.PUBLIC_URL, an absolute
// /app-config.js, webpack's public path). SiteFiles (site_files.h) hands it the paths
// of the origin that are the viewer's.
//
// - A path that names no file and whose last segment has no extension is one of the
//   app's own routes (/viewer, /notfoundstudy, ...): index.html answers it.
// - /app-config.js is not a file: telerad writes it (viewer_config.h).
// - Files with a content hash in their name are cached for a year (immutable);
//   index.html, app-config.js and the rest are revalidated; the other rules of every
//   served file (ETag, .gz siblings, no escape from the folder) are StaticFolder's.
#pragma once

#include <string>
#include <string_view>

#include "api/reply.h"
#include "api/static_folder.h"
#include "src/base/status.h"

namespace telerad::api {

class ViewerFiles {
 public:
  // kNotFound when `root` is no folder holding index.html.
  static Result<ViewerFiles> Open(const std::string& root);

  // The answer to GET or HEAD of `relative` (ViewerRelativePath of the request's path).
  Result<Reply> Serve(const std::string& relative, bool accepts_gzip,
                      std::string_view if_none_match) const;

  const std::string& root() const { return folder_.root(); }

 private:
  explicit ViewerFiles(StaticFolder folder) : folder_(std::move(folder)) {}
  Result<Reply> ServeFile(const std::string& relative, bool accepts_gzip,
                          std::string_view if_none_match) const;
  StaticFolder folder_;
};

// The decoded path relative to the folder ("" for "/"), or kNotFound for a path that
// may not be served: one holding NUL, a backslash, bad percent-encoding or a "." or
// ".." segment (after decoding, so %2e%2e is caught too).
Result<std::string> ViewerRelativePath(std::string_view raw_path);
// The Content-Type for a file name, by extension (application/octet-stream otherwise).
std::string ViewerContentType(std::string_view name);
// The part of a relative path after its last '/'.
std::string LastSegment(const std::string& path);
// Whether a file name carries a content hash (webpack's [contenthash]: a dot-separated
// part of 8+ hex digits with a digit and a letter after the name, or of 16+ hex digits
// anywhere but the extension).
bool HasContentHash(std::string_view name);
// Whether an If-None-Match value names `etag` (or is "*"), weak forms included.
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

}  // namespace telerad::api
