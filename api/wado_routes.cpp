// WADO-RS metadata (study, series, instance) and frames, under /dicomweb (PS3.18 10.4).
// Same visibility as the REST API (ImagingService); every call is audited as an image
// access of its study.
#include <algorithm>
#include <charconv>

#include "api/frames_multipart.h"
#include "api/query_params.h"
#include "api/route_table.h"

namespace telerad::api {
namespace {

constexpr RoleSet kImageReaders = kAllowAdmin | kAllowRadiologist | kAllowFacility;
// Frames one request may name: a 2,000-slice multi-frame fits; more is a client's error.
constexpr size_t kMaxFramesPerRequest = 4096;

ImageScope ScopeOf(const Pistache::Rest::Request& req, bool series, bool instance) {
  ImageScope scope;
  scope.study_uid = PathParam(req, ":study_uid");
  if (series) scope.series_uid = PathParam(req, ":series_uid");
  if (instance) scope.sop_instance_uid = PathParam(req, ":sop_instance_uid");
  return scope;
}

Result<Reply> Metadata(ApiServices& services, const Pistache::Rest::Request& req,
                       RequestContext& ctx, bool series, bool instance) {
  auto json = services.imaging->Metadata(*ctx.principal, ScopeOf(req, series, instance));
  if (!json.ok()) return json.status();
  Reply reply;
  reply.body = std::move(*json);
  reply.content_type = "application/dicom+json";
  return reply;
}

Result<Reply> StudyMetadata(ApiServices& s, const Pistache::Rest::Request& r, RequestContext& c) {
  return Metadata(s, r, c, false, false);
}
Result<Reply> SeriesMetadata(ApiServices& s, const Pistache::Rest::Request& r, RequestContext& c) {
  return Metadata(s, r, c, true, false);
}
Result<Reply> InstanceMetadata(ApiServices& s, const Pistache::Rest::Request& r,
                               RequestContext& c) {
  return Metadata(s, r, c, true, true);
}

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

// Frames exactly as stored, one part each in the order asked (the client accepting the
// stored syntax; transcoding is not done here).
Result<Reply> Frames(ApiServices& services, const Pistache::Rest::Request& req,
                     RequestContext& ctx) {
  auto numbers = FrameList(PathParam(req, ":frames"));
  if (!numbers.ok()) return numbers.status();
  auto frames = services.imaging->Frames(*ctx.principal, ScopeOf(req, true, true), *numbers);
  if (!frames.ok()) return frames.status();
  const std::string type = FrameMediaType(frames->transfer_syntax_uid, frames->encapsulated);
  MultipartBody multipart = WriteMultipartRelated(
      type, type + "; transfer-syntax=" + frames->transfer_syntax_uid, frames->frames);
  Reply reply;
  reply.body = std::move(multipart.body);
  reply.content_type = std::move(multipart.content_type);
  return reply;
}

}  // namespace

void AddWadoRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  const AuditSpec images{"study.images", "study", ":study_uid"};
  Register(routes, Method::Get, "/dicomweb/studies/:study_uid/metadata", kImageReaders,
           StudyMetadata, images);
  Register(routes, Method::Get, "/dicomweb/studies/:study_uid/series/:series_uid/metadata",
           kImageReaders, SeriesMetadata, images);
  Register(routes, Method::Get,
           "/dicomweb/studies/:study_uid/series/:series_uid/instances/:sop_instance_uid/metadata",
           kImageReaders, InstanceMetadata, images);
  Register(routes, Method::Get,
           "/dicomweb/studies/:study_uid/series/:series_uid/instances/:sop_instance_uid/frames/"
           ":frames",
           kImageReaders, Frames, images);
}

}  // namespace telerad::api
