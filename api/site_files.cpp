#include "api/site_files.h"

namespace telerad::api {

Result<Reply> SiteFiles::Serve(std::string_view raw_path, bool accepts_gzip,
                               std::string_view if_none_match) const {
  auto relative = ViewerRelativePath(raw_path);
  if (!relative.ok()) return relative.status();
  const size_t slash = relative->find('/');
  const std::string first = relative->substr(0, slash);
  // The API's and DICOMweb's paths are never files: an unknown one stays a JSON 404,
  // never an index.html.
  if (first == "api" || first == "dicomweb") return Status::NotFound("no such route");
  if (pages_ && relative->empty()) return pages_->Serve("", accepts_gzip, if_none_match);
  if (pages_ && first == kPagesPrefix)
    return pages_->Serve(slash == std::string::npos ? "" : relative->substr(slash + 1),
                         accepts_gzip, if_none_match);
  if (viewer_) return viewer_->Serve(*relative, accepts_gzip, if_none_match);
  return Status::NotFound("no such route");
}

}  // namespace telerad::api
