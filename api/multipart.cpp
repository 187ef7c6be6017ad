#include "api/multipart.h"

#include <cctype>

#include "api/media_type.h"
#include "src/accounts/sodium_password_hasher.h"
#include "src/base/text.h"

namespace telerad::api {
namespace {

constexpr std::string_view kCrlf = "\r\n";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsHeaderNameChar(char c) { return c > 0x20 && c < 0x7F && c != ':'; }

// After a dash-boundary at `pos`: nullopt if it is not a delimiter line; else whether it
// closes the body, with `next` set to where the following part starts.
std::optional<bool> ReadDelimiterTail(std::string_view body, size_t pos, size_t& next) {
  if (body.substr(pos, 2) == "--") {
    next = pos + 2;
    return true;
  }
  while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;  // padding
  if (body.substr(pos, 2) != kCrlf) return std::nullopt;
  next = pos + 2;
  return false;
}

Status ParseHeaders(std::string_view block, MultipartPart& part) {
  while (!block.empty()) {
    const size_t eol = block.find(kCrlf);
    std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return Status::InvalidArgument("multipart part header is not 'name: value'");
    const std::string_view name = line.substr(0, colon);
    for (char c : name)
      if (!IsHeaderNameChar(c)) return Status::InvalidArgument("bad multipart header name");
    part.headers.emplace_back(name, Trim(line.substr(colon + 1)));
  }
  return Status::Ok();
}

}  // namespace

std::optional<std::string_view> MultipartPart::Header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (EqualsIgnoringAsciiCase(n, name)) return v;
  return std::nullopt;
}

bool ValidBoundary(std::string_view boundary) {
  if (boundary.empty() || boundary.size() > kMaxBoundaryBytes || boundary.back() == ' ')
    return false;
  for (char c : boundary) {
    if (std::isalnum(static_cast<unsigned char>(c))) continue;
    if (std::string_view("'()+_,-./:=? ").find(c) == std::string_view::npos) return false;
  }
  return true;
}

Result<std::vector<MultipartPart>> ParseMultipart(std::string_view body, std::string_view boundary,
                                                  const MultipartLimits& limits) {
  if (!ValidBoundary(boundary)) return Status::InvalidArgument("invalid multipart boundary");
  const std::string delimiter = "\r\n--" + std::string(boundary);
  // The first delimiter may open the body without the CRLF (no preamble).
  size_t at;
  if (body.substr(0, delimiter.size() - 2) == std::string_view(delimiter).substr(2)) {
    at = delimiter.size() - 2;
  } else {
    const size_t found = body.find(delimiter);
    if (found == std::string_view::npos)
      return Status::InvalidArgument("multipart body has no boundary delimiter");
    at = found + delimiter.size();
  }
  std::vector<MultipartPart> parts;
  size_t start = 0;
  auto closes = ReadDelimiterTail(body, at, start);
  if (!closes) return Status::InvalidArgument("malformed multipart delimiter line");
  while (!*closes) {
    if (parts.size() >= limits.max_parts)
      return Status::TooLarge("more than " + std::to_string(limits.max_parts) + " parts");
    // The next delimiter line ends this part (a match not followed by a delimiter's
    // tail is content: RFC 2046 lets a client rely on the boundary not occurring, but
    // a prefix of it may).
    size_t end = start;
    std::optional<bool> next_closes;
    size_t next_start = 0;
    while (true) {
      end = body.find(delimiter, end);
      if (end == std::string_view::npos)
        return Status::InvalidArgument("multipart body has no closing delimiter");
      next_closes = ReadDelimiterTail(body, end + delimiter.size(), next_start);
      if (next_closes) break;
      ++end;
    }
    std::string_view raw = body.substr(start, end - start);
    MultipartPart part;
    size_t header_end;
    if (raw.substr(0, 2) == kCrlf) {
      header_end = 0;  // no header fields at all
    } else {
      header_end = raw.find("\r\n\r\n");
      if (header_end == std::string_view::npos)
        return Status::InvalidArgument("multipart part has no end of headers");
      header_end += 2;
    }
    if (header_end > limits.max_header_bytes)
      return Status::TooLarge("multipart part headers over " +
                              std::to_string(limits.max_header_bytes) + " bytes");
    if (Status s = ParseHeaders(raw.substr(0, header_end == 0 ? 0 : header_end - 2), part); !s.ok())
      return s;
    part.body = raw.substr(header_end + 2);
    parts.push_back(std::move(part));
    closes = next_closes;
    start = next_start;
  }
  if (parts.empty()) return Status::InvalidArgument("multipart body has no part");
  return parts;
}

std::string RandomBoundary() { return "telerad-" + RandomToken(24); }

std::string NewBoundary(const std::vector<std::string_view>& parts) {
  while (true) {
    std::string boundary = RandomBoundary();
    bool occurs = false;
    for (std::string_view p : parts) occurs = occurs || p.find(boundary) != std::string_view::npos;
    if (!occurs) return boundary;
  }
}

std::string PartPrologue(std::string_view boundary, const PartHeaders& headers, bool first) {
  std::string out = first ? "--" : "\r\n--";
  out += boundary;
  out += "\r\nContent-Type: " + headers.content_type + "\r\n";
  if (headers.content_length)
    out += "Content-Length: " + std::to_string(*headers.content_length) + "\r\n";
  if (!headers.content_location.empty())
    out += "Content-Location: " + headers.content_location + "\r\n";
  out += "\r\n";
  return out;
}

std::string CloseDelimiter(std::string_view boundary) {
  return "\r\n--" + std::string(boundary) + "--\r\n";
}

std::string WriteMultipart(std::string_view boundary,
                           const std::vector<std::pair<PartHeaders, std::string_view>>& parts) {
  std::string out;
  size_t size = 0;
  for (const auto& [h, body] : parts) size += body.size() + 200;
  out.reserve(size);
  bool first = true;
  for (const auto& [h, body] : parts) {
    out += PartPrologue(boundary, h, first);
    out += body;
    first = false;
  }
  out += CloseDelimiter(boundary);
  return out;
}

std::string MultipartRelatedType(std::string_view type, std::string_view boundary) {
  return "multipart/related; type=" + QuoteIfNeeded(type) + "; boundary=" + QuoteIfNeeded(boundary);
}

MultipartBody WriteMultipartRelated(std::string_view type, std::string_view part_content_type,
                                    const std::vector<std::string>& parts) {
  std::vector<std::string_view> views(parts.begin(), parts.end());
  const std::string boundary = NewBoundary(views);
  std::vector<std::pair<PartHeaders, std::string_view>> labelled;
  labelled.reserve(parts.size());
  for (std::string_view part : views) {
    PartHeaders headers;
    headers.content_type = std::string(part_content_type);
    labelled.emplace_back(std::move(headers), part);
  }
  return {MultipartRelatedType(type, boundary), WriteMultipart(boundary, labelled)};
}

}  // namespace telerad::api
