// StaticFolder: one folder of prebuilt files served over HTTP (the OHIF viewer's dist/,
// the pages' build), with the rules every such file follows:
// - the file's real path must lie inside the folder (no symlink out of it);
// - an immutable file (a content hash in its name, the caller decides) is cached for a
//   year, any other is revalidated (no-cache) by ETag, If-None-Match answered 304;
// - a client accepting gzip gets the file's ".gz" sibling when there is one no older
//   than the file (scripts/run makes them once);
// - files go out as file slices (sendfile), never read into memory.
#pragma once

#include <string>
#include <string_view>

#include "api/reply.h"
#include "src/base/status.h"

namespace telerad::api {

class StaticFolder {
 public:
  // kNotFound when `root` is no folder holding index.html.
  static Result<StaticFolder> Open(const std::string& root);

  // The file at `relative` (decoded, already checked by ViewerRelativePath), or
  // kNotFound when there is no such regular file inside the folder.
  Result<Reply> ServeFile(const std::string& relative, bool immutable, bool accepts_gzip,
                          std::string_view if_none_match) const;

  const std::string& root() const { return root_; }

 private:
  explicit StaticFolder(std::string root) : root_(std::move(root)) {}
  std::string root_;  // real path, no trailing '/'
};

}  // namespace telerad::api
