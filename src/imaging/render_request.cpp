#include "src/imaging/render_request.h"

#include <charconv>
#include <cmath>
#include <vector>

namespace telerad {
namespace {

std::vector<std::string_view> SplitCommas(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    parts.push_back(text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) return parts;
    start = comma + 1;
  }
}

// A decimal number as DICOM DS writes it ("40", "-1000.5", "1e3"); nothing else, no
// surrounding spaces, finite.
std::optional<double> ParseNumber(std::string_view text) {
  if (text.empty() || text.size() > 32) return std::nullopt;
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<int> ParseInt(std::string_view text, int min, int max) {
  if (text.empty() || text.size() > 6) return std::nullopt;
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < min || value > max) return std::nullopt;
  return value;
}

}  // namespace

Result<RenderWindow> ParseRenderWindow(std::string_view text) {
  const std::vector<std::string_view> parts = SplitCommas(text);
  if (parts.size() < 2 || parts.size() > 3)
    return Status::InvalidArgument("window must be center,width[,function]");
  RenderWindow window;
  const std::optional<double> center = ParseNumber(parts[0]);
  const std::optional<double> width = ParseNumber(parts[1]);
  if (!center || !width) return Status::InvalidArgument("window center and width must be numbers");
  if (*width <= 0) return Status::InvalidArgument("window width must be greater than 0");
  window.center = *center;
  window.width = *width;
  if (parts.size() == 3) {
    if (parts[2] == "LINEAR")
      window.function = VoiFunction::kLinear;
    else if (parts[2] == "LINEAR_EXACT")
      window.function = VoiFunction::kLinearExact;
    else if (parts[2] == "SIGMOID")
      window.function = VoiFunction::kSigmoid;
    else
      return Status::InvalidArgument("window function must be LINEAR, LINEAR_EXACT or SIGMOID");
  }
  return window;
}

Status ParseViewport(std::string_view text, RenderRequest& into) {
  const std::vector<std::string_view> parts = SplitCommas(text);
  if (parts.size() == 6)
    return Status::InvalidArgument("viewport source regions (sx,sy,sw,sh) are not supported");
  if (parts.size() != 2) return Status::InvalidArgument("viewport must be width,height");
  const std::optional<int> width = ParseInt(parts[0], 1, 16384);
  const std::optional<int> height = ParseInt(parts[1], 1, 16384);
  if (!width || !height)
    return Status::InvalidArgument("viewport width and height must be integers 1..16384");
  into.viewport_width = *width;
  into.viewport_height = *height;
  return Status::Ok();
}

Result<int> ParseQuality(std::string_view text) {
  const std::optional<int> quality = ParseInt(text, 1, 100);
  if (!quality) return Status::InvalidArgument("quality must be an integer 1..100");
  return *quality;
}

}  // namespace telerad
