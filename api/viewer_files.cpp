#include "api/viewer_files.h"

#include <cctype>

#include "api/viewer_config.h"

namespace telerad::api {
namespace {

constexpr const char* kRevalidate = "no-cache";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view Extension(std::string_view name) {
  const size_t slash = name.rfind('/');
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  return name.substr(dot + 1);
}

}  // namespace

std::string LastSegment(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Result<std::string> ViewerRelativePath(std::string_view raw_path) {
  if (raw_path.empty() || raw_path[0] != '/') return Status::NotFound("not a viewer path");
  std::string decoded;
  decoded.reserve(raw_path.size());
  for (size_t i = 0; i < raw_path.size(); ++i) {
    char c = raw_path[i];
    if (c == '%') {
      if (i + 2 >= raw_path.size()) return Status::NotFound("bad percent-encoding");
      const int high = HexValue(raw_path[i + 1]), low = HexValue(raw_path[i + 2]);
      if (high < 0 || low < 0) return Status::NotFound("bad percent-encoding");
      c = static_cast<char>(high * 16 + low);
      i += 2;
    }
    if (c == '\0' || c == '\\') return Status::NotFound("not a viewer path");
    decoded += c;
  }
  // Segments: none may be "." or ".." (after decoding, so %2e%2e is caught too); empty
  // ones (a doubled or trailing '/') are dropped.
  std::string relative;
  size_t start = 1;
  while (start <= decoded.size()) {
    size_t end = decoded.find('/', start);
    if (end == std::string::npos) end = decoded.size();
    const std::string segment = decoded.substr(start, end - start);
    if (segment == "." || segment == "..") return Status::NotFound("not a viewer path");
    if (!segment.empty()) relative += (relative.empty() ? "" : "/") + segment;
    start = end + 1;
  }
  return relative;
}

std::string ViewerContentType(std::string_view name) {
  std::string ext(Extension(name));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::pair<const char*, const char*> kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"js", "application/javascript; charset=utf-8"},
      {"mjs", "application/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json; charset=utf-8"},
      {"map", "application/json; charset=utf-8"},
      {"wasm", "application/wasm"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"ico", "image/x-icon"},
      {"webp", "image/webp"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},
      {"otf", "font/otf"},
      {"txt", "text/plain; charset=utf-8"},
      {"xml", "application/xml"},
      {"webmanifest", "application/manifest+json"},
  };
  for (const auto& [extension, type] : kTypes)
    if (ext == extension) return type;
  return "application/octet-stream";
}

bool HasContentHash(std::string_view name) {
  const size_t slash = name.rfind('/');
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  size_t start = 0;
  while (start < name.size()) {
    size_t end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view part = name.substr(start, end - start);
    bool hex = part.size() >= 8, digit = false, letter = false;
    for (char c : part) {
      if (HexValue(c) < 0) hex = false;
      if (std::isdigit(static_cast<unsigned char>(c))) digit = true;
      if (std::isalpha(static_cast<unsigned char>(c))) letter = true;
    }
    // Never the extension; the first part (the name) only when it is a long hash itself
    // (webpack names assets "[hash].wasm").
    if (hex && end < name.size() && (part.size() >= 16 || (start > 0 && digit && letter)))
      return true;
    start = end + 1;
  }
  return false;
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const size_t comma = if_none_match.find(',');
    std::string_view tag = if_none_match.substr(0, comma);
    if_none_match =
        comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag == "*") return true;
    if (tag.rfind("W/", 0) == 0) tag.remove_prefix(2);  // weak comparison (RFC 9110 13.1.2)
    if (tag == etag) return true;
  }
  return false;
}

Result<ViewerFiles> ViewerFiles::Open(const std::string& root) {
  auto folder = StaticFolder::Open(root);
  if (!folder.ok()) return folder.status();
  return ViewerFiles(std::move(*folder));
}

Result<Reply> ViewerFiles::Serve(const std::string& relative, bool accepts_gzip,
                                 std::string_view if_none_match) const {
  if (relative == "app-config.js") {
    Reply reply;
    reply.body = ViewerAppConfig();
    reply.content_type = "application/javascript; charset=utf-8";
    reply.headers = {{"Cache-Control", kRevalidate}};
    return reply;
  }
  if (relative.empty()) return ServeFile("index.html", accepts_gzip, if_none_match);
  auto file = ServeFile(relative, accepts_gzip, if_none_match);
  if (file.ok() || file.status().code() != StatusCode::kNotFound) return file;
  // One of the app's routes (no extension): the app itself answers it.
  if (LastSegment(relative).find('.') == std::string::npos)
    return ServeFile("index.html", accepts_gzip, if_none_match);
  return file;
}

Result<Reply> ViewerFiles::ServeFile(const std::string& relative, bool accepts_gzip,
                                     std::string_view if_none_match) const {
  const bool immutable = relative != "index.html" && HasContentHash(relative);
  return folder_.ServeFile(relative, immutable, accepts_gzip, if_none_match);
}

}  // namespace telerad::api
