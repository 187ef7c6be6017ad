// Fuzzes what the HTTP door reads from a browser's request before any route
// (api/viewer_files.h, api/gzip_body.h): the viewer path sanitiser, whose answer becomes
// a file path, and the Accept-Encoding and If-None-Match readers. A path it accepts must
// hold no NUL, no backslash, no "." or ".." segment and no empty segment, and must not
// start with '/': otherwise it could name a file outside the viewer's folder.
#include <cstdint>
#include <string>

#include "api/gzip_body.h"
#include "api/viewer_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string raw(reinterpret_cast<const char*>(data), size);
  if (auto relative = telerad::api::ViewerRelativePath(raw); relative.ok()) {
    const std::string& path = *relative;
    if (path.find('\0') != std::string::npos || path.find('\\') != std::string::npos)
      __builtin_trap();
    if (!path.empty() && (path.front() == '/' || path.back() == '/')) __builtin_trap();
    size_t start = 0;
    while (start <= path.size() && !path.empty()) {
      size_t end = path.find('/', start);
      if (end == std::string::npos) end = path.size();
      const std::string segment = path.substr(start, end - start);
      if (segment.empty() || segment == "." || segment == "..") __builtin_trap();
      start = end + 1;
    }
  }
  (void)telerad::api::ViewerContentType(raw);
  (void)telerad::api::HasContentHash(raw);
  (void)telerad::api::AcceptsGzip(raw);
  (void)telerad::api::EtagMatches(raw, "\"1-2\"");
  return 0;
}
