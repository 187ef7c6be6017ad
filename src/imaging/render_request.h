// RenderRequest: what a WADO-RS `rendered` or `thumbnail` request asks of one frame
// (PS3.18 8.3.5.1 "Rendered Media Types" and the query parameters of 8.3.5.1.x):
// media type, window, quality, viewport. Parsing is here, away from the HTTP library,
// so that every rule is unit-tested and fuzzed; the pixels are made by an ImageCodec.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "src/base/status.h"

namespace telerad {

enum class RenderedFormat { kJpeg, kPng };

// PS3.18 8.3.5.1.3: the VOI LUT function named in `window`.
enum class VoiFunction { kLinear, kLinearExact, kSigmoid };

struct RenderWindow {
  double center = 0;
  double width = 1;  // > 0
  VoiFunction function = VoiFunction::kLinear;
};

struct RenderRequest {
  RenderedFormat format = RenderedFormat::kJpeg;
  // Unset: the file's first window, else the frame's minimum and maximum.
  std::optional<RenderWindow> window;
  int quality = 90;  // JPEG quality, 1..100
  // Largest width and height of the answer; the image is scaled down to fit, keeping its
  // aspect ratio, never up. Unset: full size.
  std::optional<int> viewport_width;
  std::optional<int> viewport_height;
};

// Parses `window=center,width[,function]` (function LINEAR, LINEAR_EXACT or SIGMOID).
// kInvalidArgument naming what is wrong: a non-number, a width <= 0, an unknown function.
Result<RenderWindow> ParseRenderWindow(std::string_view text);

// Parses `viewport=vw,vh` (PS3.18 also allows ",sx,sy,sw,sh": a source region, refused
// here with kInvalidArgument rather than silently ignored). Each size 1..16384.
Status ParseViewport(std::string_view text, RenderRequest& into);

// Parses `quality=N`, 1..100.
Result<int> ParseQuality(std::string_view text);

// A thumbnail is a rendered frame that fits this box unless the request says otherwise.
constexpr int kThumbnailSize = 128;

}  // namespace telerad
