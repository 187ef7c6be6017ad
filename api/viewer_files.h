// ViewerFiles: the OHIF viewer's prebuilt dist/ folder (viewer_dir), served at the
// origin's root, since its build expects "/" (window.PUBLIC_URL, an absolute
// /app-config.js, webpack's public path). HttpServer asks it only for GET and HEAD
// paths that no API route takes, and never for /api/ or /dicomweb/.
//
// - Paths are percent-decoded and refused (404) when they hold NUL, a backslash or a
//   "." or ".." segment; the file's real path must lie inside the folder (no symlink
//   out of it).
// - A path that names no file and whose last segment has no extension is one of the
//   app's own routes (/viewer, /notfoundstudy, ...): index.html answers it.
// - /app-config.js is not a file: telerad writes it (viewer_config.h).
// - Files with a content hash in their name are cached for a year (immutable);
//   index.html, app-config.js and the rest are revalidated (no-cache) by ETag, with
//   If-None-Match answered 304.
// - A client accepting gzip gets the file's ".gz" sibling when there is one no older
//   than the file (scripts/run makes them once with gzip -k).
// - Files go out as file slices (sendfile), never read into memory.
#pragma once

#include <string>
#include <string_view>

#include "api/reply.h"
#include "src/base/status.h"

namespace telerad::api {

class ViewerFiles {
 public:
  // kNotFound when `root` is no folder holding index.html.
  static Result<ViewerFiles> Open(const std::string& root);

  // The answer to GET or HEAD of `raw_path` (as sent: percent-encoded).
  Result<Reply> Serve(std::string_view raw_path, bool accepts_gzip,
                      std::string_view if_none_match) const;

  const std::string& root() const { return root_; }

 private:
  explicit ViewerFiles(std::string root) : root_(std::move(root)) {}
  Result<Reply> ServeFile(const std::string& relative, bool accepts_gzip,
                          std::string_view if_none_match) const;
  std::string root_;  // real path, no trailing '/'
};

// The decoded path relative to the folder ("" for "/"), or kNotFound for a path that
// may not be served (see above).
Result<std::string> ViewerRelativePath(std::string_view raw_path);
// The Content-Type for a file name, by extension (application/octet-stream otherwise).
std::string ViewerContentType(std::string_view name);
// Whether a file name carries a content hash (webpack's [contenthash]: a dot-separated
// part of 8+ hex digits with a digit and a letter after the name, or of 16+ hex digits
// anywhere but the extension).
bool HasContentHash(std::string_view name);
// Whether an If-None-Match value names `etag` (or is "*"), weak forms included.
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

}  // namespace telerad::api
