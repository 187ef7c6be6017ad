#include "api/static_folder.h"

#include <sys/stat.h>

#include <climits>
#include <cstdio>
#include <cstdlib>

#include "api/viewer_files.h"

namespace telerad::api {
namespace {

constexpr const char* kImmutable = "public, max-age=31536000, immutable";
constexpr const char* kRevalidate = "no-cache";

std::string Hex(unsigned long long value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%llx", value);
  return buffer;
}

std::string EtagOf(const struct stat& st, bool gzip) {
  const unsigned long long mtime_ns =
      static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1000000000ull +
      static_cast<unsigned long long>(st.st_mtim.tv_nsec);
  return "\"" + Hex(static_cast<unsigned long long>(st.st_size)) + "-" + Hex(mtime_ns) +
         (gzip ? "-gz" : "") + "\"";
}

Reply NotModified(const std::string& etag, const char* cache_control, bool varies) {
  Reply reply;
  reply.status = 304;
  reply.content_type = "text/plain";
  reply.headers = {{"ETag", etag}, {"Cache-Control", cache_control}};
  if (varies) reply.headers.emplace_back("Vary", "Accept-Encoding");
  return reply;
}

bool Compressible(std::string_view type) {
  return type.rfind("text/", 0) == 0 || type.rfind("application/javascript", 0) == 0 ||
         type.rfind("application/json", 0) == 0 || type == "application/wasm" ||
         type.rfind("image/svg+xml", 0) == 0;
}

}  // namespace

Result<StaticFolder> StaticFolder::Open(const std::string& root) {
  char real[PATH_MAX];
  if (::realpath(root.c_str(), real) == nullptr)
    return Status::NotFound("folder " + root + " does not exist");
  struct stat st {};
  const std::string index = std::string(real) + "/index.html";
  if (::stat(index.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return Status::NotFound("folder " + root + " has no index.html");
  return StaticFolder(real);
}

Result<Reply> StaticFolder::ServeFile(const std::string& relative, bool immutable,
                                      bool accepts_gzip, std::string_view if_none_match) const {
  char real[PATH_MAX];
  const std::string wanted = root_ + "/" + relative;
  if (::realpath(wanted.c_str(), real) == nullptr) return Status::NotFound("no such file");
  const std::string path = real;
  if (path.compare(0, root_.size() + 1, root_ + "/") != 0) return Status::NotFound("no such file");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return Status::NotFound("no such file");

  const std::string type = ViewerContentType(relative);
  const bool compressible = Compressible(type);
  const char* cache = immutable ? kImmutable : kRevalidate;
  std::string send_path = path;
  bool gzip = false;
  struct stat gz {};
  if (compressible && accepts_gzip && ::stat((path + ".gz").c_str(), &gz) == 0 &&
      S_ISREG(gz.st_mode) && gz.st_mtim.tv_sec >= st.st_mtim.tv_sec) {
    send_path = path + ".gz";
    gzip = true;
    st = gz;
  }
  const std::string etag = EtagOf(st, gzip);
  if (!if_none_match.empty() && EtagMatches(if_none_match, etag))
    return NotModified(etag, cache, compressible);
  auto piece = BodyPiece::FileSlice(send_path);
  if (!piece.ok()) return piece.status();
  Reply reply;
  reply.content_type = type;
  reply.pieces.push_back(std::move(*piece));
  reply.headers = {{"ETag", etag}, {"Cache-Control", cache}};
  if (compressible) reply.headers.emplace_back("Vary", "Accept-Encoding");
  if (gzip) reply.headers.emplace_back("Content-Encoding", "gzip");
  return reply;
}

}  // namespace telerad::api
