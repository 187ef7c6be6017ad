// Writes a multipart/related body (RFC 2387) of binary parts, for WADO-RS frames.
//
// Interim: branch stow brings api/multipart.{h,cpp} (parsing and writing); when both are
// merged this file gives way to it.
#pragma once

#include <string>
#include <vector>

namespace telerad::api {

struct MultipartBody {
  std::string content_type;  // multipart/related; type="<part type>"; boundary=...
  std::string body;
};

// One part per entry of `parts`, each with `part_content_type`; the boundary is random
// (128 bits), so it cannot be guessed to forge a part and occurs by chance in no frame.
MultipartBody WriteMultipartRelated(const std::string& type, const std::string& part_content_type,
                                    const std::vector<std::string>& parts);

}  // namespace telerad::api
