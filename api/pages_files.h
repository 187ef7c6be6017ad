// PagesFiles: the pages' build (pages_dir, made by scripts/run's build_pages from
// pages/), mounted at /app/ of the origin; SiteFiles (site_files.h) also gives it "/".
//
// - assets/ holds only files named by their content hash (pages/build.mjs names every
//   output "[name]-[hash]"): cached for a year (immutable).
// - Any other file (index.html) is revalidated (no-cache) by ETag.
// - Any other path that names no file is one of the pages' own routes (/app/worklist,
//   a study's page with its UID, dots and all): index.html answers it, and the pages'
//   router draws the page (or its "not found"). A missing asset is a 404.
#pragma once

#include <string>
#include <string_view>

#include "api/reply.h"
#include "api/static_folder.h"
#include "src/base/status.h"

namespace telerad::api {

class PagesFiles {
 public:
  // kNotFound when `root` is no folder holding index.html.
  static Result<PagesFiles> Open(const std::string& root);

  // The answer to GET or HEAD of `relative`, the decoded path under /app/ ("" for the
  // pages' home).
  Result<Reply> Serve(const std::string& relative, bool accepts_gzip,
                      std::string_view if_none_match) const;

  const std::string& root() const { return folder_.root(); }

 private:
  explicit PagesFiles(StaticFolder folder) : folder_(std::move(folder)) {}
  StaticFolder folder_;
};

}  // namespace telerad::api
