// WADO-RS frames (PS3.18 10.4.1.1.4) with their Accept negotiation (8.7.3.5): as stored
// when the client accepts the stored transfer syntax (`transfer-syntax=*` included),
// else decoded to Explicit VR Little Endian when it accepts that, else 406. And the
// bulkdata of the pixel data (10.4.1.1.5, the BulkDataURI metadata gives for 7FE00010):
// every frame as stored.
#include <algorithm>
#include <charconv>

#include "api/accept_header.h"
#include "api/frame_parts.h"
#include "api/multipart.h"
#include "api/query_params.h"
#include "api/route_table.h"
#include "api/wado_scope.h"

namespace telerad::api {
namespace {

// Frames one request may name: a 2,000-slice multi-frame fits; more is a client's error.
constexpr size_t kMaxFramesPerRequest = 4096;
constexpr const char* kExplicitLittleEndian = "1.2.840.10008.1.2.1";

// "1,3,2" → {1, 3, 2} (PS3.18 10.4.1.1.4: a comma-separated list of frame numbers).
Result<std::vector<int>> FrameList(const std::string& text) {
  std::vector<int> numbers;
  size_t start = 0;
  for (;;) {
    const size_t comma = std::min(text.find(',', start), text.size());
    int n = 0;
    const char* first = text.data() + start;
    const char* last = text.data() + comma;
    auto [end, error] = std::from_chars(first, last, n);
    if (first == last || error != std::errc() || end != last || n < 1)
      return Status::InvalidArgument("frames must be a comma-separated list of numbers from 1");
    numbers.push_back(n);
    if (numbers.size() > kMaxFramesPerRequest)
      return Status::InvalidArgument("at most " + std::to_string(kMaxFramesPerRequest) +
                                     " frames per request");
    if (comma == text.size()) return numbers;
    start = comma + 1;
  }
}

// The media type of a frame as stored (PS3.18 8.7.3.5.2, table 8.7.3-5): compressed
// syntaxes have their image type; native pixels are application/octet-stream.
std::string FrameMediaType(const std::string& transfer_syntax, bool encapsulated) {
  if (!encapsulated) return "application/octet-stream";
  static const std::pair<const char*, const char*> kTypes[] = {
      {"1.2.840.10008.1.2.4.50", "image/jpeg"},  {"1.2.840.10008.1.2.4.51", "image/jpeg"},
      {"1.2.840.10008.1.2.4.57", "image/jpeg"},  {"1.2.840.10008.1.2.4.70", "image/jpeg"},
      {"1.2.840.10008.1.2.4.80", "image/jls"},   {"1.2.840.10008.1.2.4.81", "image/jls"},
      {"1.2.840.10008.1.2.4.90", "image/jp2"},   {"1.2.840.10008.1.2.4.91", "image/jp2"},
      {"1.2.840.10008.1.2.5", "image/dicom-rle"}};
  for (const auto& [uid, type] : kTypes)
    if (transfer_syntax == uid) return type;
  return "application/octet-stream";
}

// multipart/related; type=<part>; transfer-syntax=<uid>, a range without transfer-syntax
// standing for Explicit VR Little Endian (PS3.18 8.7.3.5.2).
Offer FramesOffer(const std::string& part_type, const std::string& syntax) {
  Offer offer;
  offer.media =
      MediaType{"multipart", "related", {{"type", part_type}, {"transfer-syntax", syntax}}};
  offer.defaults = {{"transfer-syntax", kExplicitLittleEndian}};
  return offer;
}

// What the server can send for an instance stored in `syntax`, in its order of
// preference: the stored bytes, labelled with their image type or, as OHIF and
// dicomweb-client ask (`type=application/octet-stream; transfer-syntax=*`), as octets;
// then native pixels.
std::vector<Offer> FrameOffers(const std::string& syntax, bool encapsulated) {
  return {FramesOffer(FrameMediaType(syntax, encapsulated), syntax),
          FramesOffer("application/octet-stream", syntax),
          FramesOffer("application/octet-stream", kExplicitLittleEndian)};
}

Result<Reply> Frames(ApiServices& services, const Pistache::Rest::Request& req,
                     RequestContext& ctx) {
  auto numbers = FrameList(PathParam(req, ":frames"));
  if (!numbers.ok()) return numbers.status();
  std::string header;
  if (auto raw = req.headers().tryGetRaw("Accept")) header = raw->value();
  auto ranges = ParseAccept(header);
  if (!ranges.ok()) return ranges.status();
  // The part type the stored bytes go out as, decided with the stored syntax.
  std::string stored_part_type;
  FrameAcceptance accept;
  accept.stored = [&](const std::string& syntax, bool encapsulated) {
    auto best = BestOffer(*ranges, FrameOffers(syntax, encapsulated));
    if (!best || *best == 2) return false;
    stored_part_type =
        *best == 0 ? FrameMediaType(syntax, encapsulated) : std::string("application/octet-stream");
    return true;
  };
  accept.native =
      BestOffer(*ranges, {FramesOffer("application/octet-stream", kExplicitLittleEndian)})
          .has_value();
  auto frames = services.imaging->AcceptableFrames(*ctx.principal, ScopeOf(req, true, true),
                                                   *numbers, accept);
  if (!frames.ok()) return frames.status();
  const std::string type =
      stored_part_type.empty() ? std::string("application/octet-stream") : stored_part_type;
  return FramesMultipart(*frames, type, type + "; transfer-syntax=" + frames->transfer_syntax_uid);
}

// GET …/bulk/{path}: the pixel data's value (path 7FE00010) as stored, by default (and
// when asked) `multipart/related; type=application/octet-stream` of one part per frame,
// or, when the client asks plain application/octet-stream, one body (native pixels, or
// the one frame of a single-frame encapsulated image). Any other path (a large binary
// value, pixel data inside a sequence) is its value read from the file, as one part or
// one body the same way.
Result<Reply> Bulk(ApiServices& services, const Pistache::Rest::Request& req, RequestContext& ctx) {
  const std::string path = PathParam(req, ":path");
  std::string header;
  if (auto raw = req.headers().tryGetRaw("Accept")) header = raw->value();
  auto ranges = ParseAccept(header);
  if (!ranges.ok()) return ranges.status();
  const std::vector<Offer> offers = {
      {MediaType{"multipart", "related", {{"type", "application/octet-stream"}}}, {}},
      {MediaType{"application", "octet-stream", {}}, {}}};
  auto best = BestOffer(*ranges, offers);
  if (!best)
    return Status::NotAcceptable(
        "bulk data is multipart/related; type=application/octet-stream or "
        "application/octet-stream");
  if (path != "7FE00010") {
    Reply reply;
    auto value = services.imaging->BulkValue(*ctx.principal, ScopeOf(req, true, true), path);
    if (!value.ok()) return value.status();
    if (*best == 1) {
      reply.body = std::move(*value);
      reply.content_type = "application/octet-stream";
      return reply;
    }
    MultipartBody multipart =
        WriteMultipartRelated("application/octet-stream", "application/octet-stream", {*value});
    reply.body = std::move(multipart.body);
    reply.content_type = std::move(multipart.content_type);
    return reply;
  }
  auto pixels = services.imaging->PixelData(*ctx.principal, ScopeOf(req, true, true));
  if (!pixels.ok()) return pixels.status();
  if (*best == 1) {
    if (pixels->encapsulated && pixels->slices.size() != 1)
      return Status::NotAcceptable(
          "encapsulated frames are sent one part each: accept multipart/related");
    return FramesBody(*pixels, "application/octet-stream");
  }
  // Native pixels are one value, one part; encapsulated frames one part each.
  return FramesMultipart(*pixels, "application/octet-stream",
                         "application/octet-stream; transfer-syntax=" + pixels->transfer_syntax_uid,
                         !pixels->encapsulated);
}

}  // namespace

void AddWadoFrameRoutes(RouteTable& routes, const AuditSpec& images) {
  Register(routes, Pistache::Http::Method::Get,
           "/dicomweb/studies/:study_uid/series/:series_uid/instances/:sop_instance_uid/frames/"
           ":frames",
           kImageReaders, Frames, images);
  Register(routes, Pistache::Http::Method::Get,
           "/dicomweb/studies/:study_uid/series/:series_uid/instances/:sop_instance_uid/bulk/"
           ":path",
           kImageReaders, Bulk, images);
}

}  // namespace telerad::api
