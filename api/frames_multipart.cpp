#include "api/frames_multipart.h"

#include <cstdio>
#include <random>

namespace telerad::api {
namespace {

std::string RandomBoundary() {
  thread_local std::random_device device;
  std::string boundary = "telerad-";
  for (int i = 0; i < 4; ++i) {
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(device()));
    boundary += hex;
  }
  return boundary;
}

}  // namespace

MultipartBody WriteMultipartRelated(const std::string& type, const std::string& part_content_type,
                                    const std::vector<std::string>& parts) {
  MultipartBody out;
  const std::string boundary = RandomBoundary();
  out.content_type = "multipart/related; type=\"" + type + "\"; boundary=" + boundary;
  size_t size = boundary.size() + 8;
  for (const std::string& part : parts)
    size += part.size() + boundary.size() + part_content_type.size() + 24;
  out.body.reserve(size);
  for (const std::string& part : parts) {
    out.body += "--" + boundary + "\r\nContent-Type: " + part_content_type + "\r\n\r\n";
    out.body += part;
    out.body += "\r\n";
  }
  out.body += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace telerad::api
