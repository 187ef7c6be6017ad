// multipart/related bodies (RFC 2046 5.1, RFC 2387) for DICOMweb: STOW-RS requests in,
// WADO-RS answers out (PS3.18 8.6.1.2).
//
// Reading: Pistache 0.0.5 hands a handler the whole body as one buffer, so the parser
// copies nothing: every part is a view into that buffer, valid while it lives.
//   auto ct = ParseMediaType(content_type);                  // api/media_type.h
//   auto parts = ParseMultipart(body, *ct->Param("boundary"));
//   for (const MultipartPart& p : *parts) ... p.Header("content-type") ... p.body ...
// Writing: pick a boundary that occurs in no part (NewBoundary), then write each part's
// prologue followed by its bytes, and the closing delimiter; or WriteMultipart at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/base/status.h"

namespace telerad::api {

struct MultipartPart {
  // Header fields in order: names as sent, values without surrounding blanks.
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view body;  // the part's content, between its headers and the next delimiter
  // The first field of that name, compared case-insensitively.
  std::optional<std::string_view> Header(std::string_view name) const;
};

struct MultipartLimits {
  size_t max_parts = 10000;        // a 500-slice CT is 500 parts
  size_t max_header_bytes = 8192;  // of one part's header block
};

// RFC 2046 allows at most 70 characters, but Orthanc's DICOMweb plugin (Debian's 1.7)
// sends 73 (two UUIDs joined by '-'): longer ones are read, up to this.
constexpr size_t kMaxBoundaryBytes = 256;

// Whether `boundary` is one we read: 1–kMaxBoundaryBytes characters of RFC 2046's
// bchars, not ending in a space. Those we write (RandomBoundary) keep to 70.
bool ValidBoundary(std::string_view boundary);

// The parts of `body`, a multipart entity delimited by `boundary` (the Content-Type's
// parameter, already unquoted). A preamble before the first delimiter and an epilogue
// after the closing one are ignored; a delimiter is CRLF "--" boundary, followed by
// optional blanks and CRLF, or by "--" for the last one. kInvalidArgument for a bad
// boundary, no delimiter, no closing delimiter, no part, a header block without its
// empty line or with a line that is no "name: value"; kTooLarge past `limits`.
Result<std::vector<MultipartPart>> ParseMultipart(std::string_view body, std::string_view boundary,
                                                  const MultipartLimits& limits = {});

// --- writing ---

// The header fields written for one part.
struct PartHeaders {
  std::string content_type;                // required, e.g. application/dicom
  std::optional<uint64_t> content_length;  // written when set
  std::string content_location;            // written when not empty
};

// A fresh random boundary (192 bits, "telerad-" + URL-safe base64).
std::string RandomBoundary();
// A random boundary that occurs in none of `parts` (checked; drawn again on the
// vanishing chance that it does).
std::string NewBoundary(const std::vector<std::string_view>& parts);
// What goes before a part's bytes: its delimiter (CRLF first unless it is the first
// part) and header fields, ending with the empty line.
std::string PartPrologue(std::string_view boundary, const PartHeaders& headers, bool first);
// What goes after the last part: the closing delimiter.
std::string CloseDelimiter(std::string_view boundary);
// The whole body at once. REQUIRES: `boundary` occurs in no part (NewBoundary).
std::string WriteMultipart(std::string_view boundary,
                           const std::vector<std::pair<PartHeaders, std::string_view>>& parts);
// The Content-Type of such a body: multipart/related; type="<type>"; boundary=<b>.
std::string MultipartRelatedType(std::string_view type, std::string_view boundary);

// A whole multipart/related body of `type` whose parts all have `part_content_type`
// (frames, bulk data), with a fresh boundary that occurs in none of them.
struct MultipartBody {
  std::string content_type;  // multipart/related; type="<type>"; boundary=...
  std::string body;
};
MultipartBody WriteMultipartRelated(std::string_view type, std::string_view part_content_type,
                                    const std::vector<std::string>& parts);

}  // namespace telerad::api
