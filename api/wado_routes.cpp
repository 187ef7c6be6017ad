// WADO-RS metadata (study, series, instance) under /dicomweb (PS3.18 10.4), and the list
// of every WADO-RS route (retrieve: wado_retrieve_routes.cpp; frames:
// wado_frames_routes.cpp; rendered and thumbnail: wado_rendered_routes.cpp). Same visibility as the
// REST API (ImagingService); audited as an image access of its study once per session
// (AuditSpec::once_per_session), every refusal recorded.
#include "api/query_params.h"
#include "api/route_table.h"
#include "api/wado_scope.h"

namespace telerad::api {

ImageScope ScopeOf(const Pistache::Rest::Request& req, bool series, bool instance) {
  ImageScope scope;
  scope.study_uid = PathParam(req, ":study_uid");
  if (series) scope.series_uid = PathParam(req, ":series_uid");
  if (instance) scope.sop_instance_uid = PathParam(req, ":sop_instance_uid");
  return scope;
}

namespace {

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

}  // namespace

void AddWadoRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  AuditSpec images{"study.images", "study", ":study_uid"};
  images.once_per_session = true;  // a viewer reads a CT in hundreds of requests
  Register(routes, Method::Get, "/dicomweb/studies/:study_uid/metadata", kImageReaders,
           StudyMetadata, images);
  Register(routes, Method::Get, "/dicomweb/studies/:study_uid/series/:series_uid/metadata",
           kImageReaders, SeriesMetadata, images);
  Register(routes, Method::Get,
           "/dicomweb/studies/:study_uid/series/:series_uid/instances/:sop_instance_uid/metadata",
           kImageReaders, InstanceMetadata, images);
  AddWadoRetrieveRoutes(routes, images);
  AddWadoFrameRoutes(routes, images);
  AddWadoRenderedRoutes(routes, images);
}

}  // namespace telerad::api
