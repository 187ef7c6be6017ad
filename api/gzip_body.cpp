#include "api/gzip_body.h"

#include <zlib.h>

#include <cctype>
#include <cstdlib>

namespace telerad::api {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The q-value of one Accept-Encoding element's parameters ("q=0.5"); 1 when absent,
// 0 when malformed (a client that cannot write a q-value does not get gzip).
double QValue(std::string_view params) {
  while (!params.empty()) {
    const size_t semi = params.find(';');
    std::string_view param = TrimView(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      const std::string value(param.substr(2));
      char* end = nullptr;
      const double q = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || q < 0 || q > 1) return 0;
      return q;
    }
  }
  return 1;
}

}  // namespace

bool AcceptsGzip(std::string_view accept_encoding) {
  double gzip = -1, star = -1;
  while (!accept_encoding.empty()) {
    const size_t comma = accept_encoding.find(',');
    std::string_view element = accept_encoding.substr(0, comma);
    accept_encoding =
        comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    const size_t semi = element.find(';');
    const std::string coding = Lower(TrimView(element.substr(0, semi)));
    const double q = semi == std::string_view::npos ? 1 : QValue(element.substr(semi + 1));
    if (coding == "gzip" || coding == "x-gzip")
      gzip = q;
    else if (coding == "*")
      star = q;
  }
  if (gzip >= 0) return gzip > 0;
  return star > 0;
}

bool CompressibleType(std::string_view content_type) {
  const std::string type = Lower(TrimView(content_type.substr(0, content_type.find(';'))));
  return type == "application/json" || type == "application/dicom+json";
}

std::string Gzip(std::string_view data, int level) {
  z_stream stream{};
  // windowBits 15 + 16: a gzip wrapper rather than zlib's.
  if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  const size_t size = stream.total_out;
  deflateEnd(&stream);
  if (result != Z_STREAM_END) return {};
  out.resize(size);
  return out;
}

void CompressForClient(Reply& reply, bool accepts_gzip) {
  if (!CompressibleType(reply.content_type)) return;
  reply.headers.emplace_back("Vary", "Accept-Encoding");
  if (!accepts_gzip || !reply.pieces.empty() || reply.body.size() < kMinGzipBytes) return;
  // A body over 4 GiB cannot go through one deflate call (uInt); it is sent as it is.
  if (reply.body.size() > 0xFFFFFFFFu) return;
  std::string gzipped = Gzip(reply.body);
  if (gzipped.empty() || gzipped.size() >= reply.body.size()) return;
  reply.body = std::move(gzipped);
  reply.headers.emplace_back("Content-Encoding", "gzip");
}

}  // namespace telerad::api
