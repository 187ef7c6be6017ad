// WADO-RS rendered and thumbnail (PS3.18 10.4.1.1.3, 8.3.5): one frame as image/jpeg
// (the default) or image/png, of a study, series, instance or frame. Query parameters
// `window`, `viewport` and `quality` (src/imaging/render_request.h); a thumbnail is a
// rendered frame fitting kThumbnailSize unless `viewport` says otherwise.
#include <charconv>

#include "api/accept_header.h"
#include "api/query_params.h"
#include "api/route_table.h"
#include "api/wado_scope.h"

namespace telerad::api {
namespace {

// What a rendered path names, and whether it is a thumbnail.
struct RenderedTarget {
  bool series = false;
  bool instance = false;
  bool frame = false;
  bool thumbnail = false;
};

// The format the client accepts best, JPEG first (PS3.18 8.3.5.1: image/jpeg is the
// default rendered type). Malformed Accept: 400; neither type: 406.
Result<RenderedFormat> FormatOf(const Pistache::Rest::Request& req) {
  std::string header;
  if (auto raw = req.headers().tryGetRaw("Accept")) header = raw->value();
  auto ranges = ParseAccept(header);
  if (!ranges.ok()) return ranges.status();
  const std::vector<Offer> offers = {{MediaType{"image", "jpeg", {}}, {}},
                                     {MediaType{"image", "png", {}}, {}}};
  auto best = BestOffer(*ranges, offers);
  if (!best) return Status::NotAcceptable("rendered images are image/jpeg or image/png");
  return *best == 0 ? RenderedFormat::kJpeg : RenderedFormat::kPng;
}

Result<RenderRequest> RequestOf(const Pistache::Rest::Request& req, bool thumbnail) {
  RenderRequest request;
  auto format = FormatOf(req);
  if (!format.ok()) return format.status();
  request.format = *format;
  std::optional<std::string> window, viewport, quality;
  for (auto [name, into] : {std::pair<const char*, std::optional<std::string>*>{"window", &window},
                            {"viewport", &viewport},
                            {"quality", &quality}})
    if (Status s = TextParam(req, name, *into, "query parameters must be percent-encoded UTF-8");
        !s.ok())
      return s;
  if (window) {
    auto parsed = ParseRenderWindow(*window);
    if (!parsed.ok()) return parsed.status();
    request.window = *parsed;
  }
  if (viewport) {
    if (Status s = ParseViewport(*viewport, request); !s.ok()) return s;
  } else if (thumbnail) {
    request.viewport_width = kThumbnailSize;
    request.viewport_height = kThumbnailSize;
  }
  if (quality) {
    auto parsed = ParseQuality(*quality);
    if (!parsed.ok()) return parsed.status();
    request.quality = *parsed;
  }
  return request;
}

Result<Reply> Rendered(ApiServices& services, const Pistache::Rest::Request& req,
                       RequestContext& ctx, RenderedTarget target) {
  std::optional<int> frame;
  if (target.frame) {
    const std::string text = PathParam(req, ":frames");
    int n = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || n < 1)
      return Status::InvalidArgument("the frame must be a number from 1");
    frame = n;
  }
  auto request = RequestOf(req, target.thumbnail);
  if (!request.ok()) return request.status();
  auto image = services.imaging->Render(
      *ctx.principal, ScopeOf(req, target.series, target.instance), frame, *request);
  if (!image.ok()) return image.status();
  Reply reply;
  reply.body = std::move(image->bytes);
  reply.content_type = std::move(image->media_type);
  // A stored instance never changes, so its picture may stay in the reader's own cache
  // (never a shared one: it is patient data). A study's or series' picture is of an
  // instance chosen among those received so far: not cached.
  if (target.instance) {
    reply.headers.emplace_back("Cache-Control", "private, max-age=86400");
    reply.headers.emplace_back("Vary", "Accept");
  }
  return reply;
}

template <bool kSeries, bool kInstance, bool kFrame, bool kThumbnail>
Result<Reply> RenderedAt(ApiServices& s, const Pistache::Rest::Request& r, RequestContext& c) {
  return Rendered(s, r, c, RenderedTarget{kSeries, kInstance, kFrame, kThumbnail});
}

}  // namespace

void AddWadoRenderedRoutes(RouteTable& routes, const AuditSpec& images) {
  using Pistache::Http::Method;
  const std::string study = "/dicomweb/studies/:study_uid";
  const std::string series = study + "/series/:series_uid";
  const std::string instance = series + "/instances/:sop_instance_uid";
  const std::string frame = instance + "/frames/:frames";  // one frame (PS3.18 10.4.1.1.3)
  Register(routes, Method::Get, study + "/rendered", kImageReaders,
           RenderedAt<false, false, false, false>, images);
  Register(routes, Method::Get, series + "/rendered", kImageReaders,
           RenderedAt<true, false, false, false>, images);
  Register(routes, Method::Get, instance + "/rendered", kImageReaders,
           RenderedAt<true, true, false, false>, images);
  Register(routes, Method::Get, frame + "/rendered", kImageReaders,
           RenderedAt<true, true, true, false>, images);
  Register(routes, Method::Get, study + "/thumbnail", kImageReaders,
           RenderedAt<false, false, false, true>, images);
  Register(routes, Method::Get, series + "/thumbnail", kImageReaders,
           RenderedAt<true, false, false, true>, images);
  Register(routes, Method::Get, instance + "/thumbnail", kImageReaders,
           RenderedAt<true, true, false, true>, images);
  Register(routes, Method::Get, frame + "/thumbnail", kImageReaders,
           RenderedAt<true, true, true, true>, images);
}

}  // namespace telerad::api
