// Fuzzes the multipart/related reader (api/multipart.h) as STOW-RS meets it: the first
// line of the input is the Content-Type, the rest the body. Every part must lie inside
// the body, and what the writer makes of the parts must read back the same.
#include <cstdint>
#include <string>
#include <string_view>

#include "api/media_type.h"
#include "api/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t eol = input.find('\n');
  const std::string_view content_type = std::string_view(input).substr(0, eol);
  const std::string_view body =
      eol == std::string::npos ? std::string_view() : std::string_view(input).substr(eol + 1);
  auto media = telerad::api::ParseMediaType(content_type);
  std::string boundary = "b";
  if (media.ok())
    if (auto b = media->Param("boundary")) boundary = *b;
  telerad::api::MultipartLimits limits;
  limits.max_parts = 64;
  auto parts = telerad::api::ParseMultipart(body, boundary, limits);
  if (!parts.ok()) return 0;
  std::vector<std::pair<telerad::api::PartHeaders, std::string_view>> out;
  std::vector<std::string_view> bodies;
  for (const auto& p : *parts) {
    if (p.body.data() < body.data() || p.body.data() + p.body.size() > body.data() + body.size())
      __builtin_trap();
    out.push_back({telerad::api::PartHeaders{"application/dicom", p.body.size(), ""}, p.body});
    bodies.push_back(p.body);
  }
  const std::string fresh = telerad::api::NewBoundary(bodies);
  const std::string written = telerad::api::WriteMultipart(fresh, out);
  auto again = telerad::api::ParseMultipart(written, fresh, limits);
  if (!again.ok() || again->size() != parts->size()) __builtin_trap();
  for (size_t i = 0; i < parts->size(); ++i)
    if ((*again)[i].body != (*parts)[i].body) __builtin_trap();
  return 0;
}
