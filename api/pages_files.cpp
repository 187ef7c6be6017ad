#include "api/pages_files.h"

namespace telerad::api {

Result<PagesFiles> PagesFiles::Open(const std::string& root) {
  auto folder = StaticFolder::Open(root);
  if (!folder.ok()) return folder.status();
  return PagesFiles(std::move(*folder));
}

Result<Reply> PagesFiles::Serve(const std::string& relative, bool accepts_gzip,
                                std::string_view if_none_match) const {
  if (relative.empty() || relative == "index.html")
    return folder_.ServeFile("index.html", false, accepts_gzip, if_none_match);
  const bool immutable = relative.rfind("assets/", 0) == 0;
  auto file = folder_.ServeFile(relative, immutable, accepts_gzip, if_none_match);
  if (file.ok() || file.status().code() != StatusCode::kNotFound) return file;
  // Any other path is a route of the pages (study UIDs hold dots, so an extension proves
  // nothing): their index.html draws it. A missing asset stays a 404, so a stale
  // index.html is never answered with itself as a script.
  if (immutable) return file;
  return folder_.ServeFile("index.html", false, accepts_gzip, if_none_match);
}

}  // namespace telerad::api
