// WADO-RS retrieve (PS3.18 10.4.1.1.1): the instances of a study, series or instance as
// `multipart/related; type="application/dicom"`, each part a stored file exactly as kept
// (our File Meta, then the data set as received), streamed from disk with sendfile
// (BodyPiece::FileSlice), never read into memory. No transcoding: the client must accept
// each instance's stored transfer syntax (`transfer-syntax=*` does), else 406.
#include <set>

#include "api/accept_header.h"
#include "api/multipart.h"
#include "api/query_params.h"
#include "api/route_table.h"
#include "api/wado_scope.h"

namespace telerad::api {
namespace {

// A range without transfer-syntax takes what is stored: with no transcoding there is
// nothing else to send (PS3.18's Explicit VR Little Endian default would refuse most
// studies, received Implicit VR, to a plain `Accept: */*`).
Status CheckAccept(const Pistache::Rest::Request& req, const std::vector<InstanceFile>& files) {
  std::string header;
  if (auto raw = req.headers().tryGetRaw("Accept")) header = raw->value();
  auto ranges = ParseAccept(header);
  if (!ranges.ok()) return ranges.status();
  std::set<std::string> syntaxes;
  for (const InstanceFile& file : files) syntaxes.insert(file.transfer_syntax_uid);
  for (const std::string& syntax : syntaxes) {
    Offer offer;
    offer.media = MediaType{
        "multipart", "related", {{"type", "application/dicom"}, {"transfer-syntax", syntax}}};
    if (!BestOffer(*ranges, {offer}))
      return Status::NotAcceptable(
          "instances are sent as stored (" + syntax +
          "): accept multipart/related; type=\"application/dicom\"; transfer-syntax=*");
  }
  return Status::Ok();
}

Result<Reply> Retrieve(ApiServices& services, const Pistache::Rest::Request& req,
                       RequestContext& ctx, bool series, bool instance) {
  const ImageScope scope = ScopeOf(req, series, instance);
  auto files = services.imaging->InstanceFiles(*ctx.principal, scope);
  if (!files.ok()) return files.status();
  if (Status s = CheckAccept(req, *files); !s.ok()) return s;
  // 192 random bits: that a stored file holds the delimiter is not worth reading every
  // file to rule out (the frames writer, with its parts in memory, checks).
  const std::string boundary = RandomBoundary();
  Reply reply;
  reply.content_type = MultipartRelatedType("application/dicom", boundary);
  for (size_t i = 0; i < files->size(); ++i) {
    const InstanceFile& file = (*files)[i];
    auto piece = BodyPiece::FileSlice(file.path);
    if (!piece.ok()) return Status::Internal("a stored instance file cannot be opened");
    PartHeaders headers;
    headers.content_type = "application/dicom; transfer-syntax=" + file.transfer_syntax_uid;
    headers.content_length = piece->size();
    headers.content_location = "/dicomweb/studies/" + scope.study_uid + "/series/" +
                               file.series_uid + "/instances/" + file.sop_instance_uid;
    reply.pieces.push_back(BodyPiece::Bytes(PartPrologue(boundary, headers, i == 0)));
    reply.pieces.push_back(std::move(*piece));
  }
  reply.pieces.push_back(BodyPiece::Bytes(CloseDelimiter(boundary)));
  return reply;
}

Result<Reply> RetrieveStudy(ApiServices& s, const Pistache::Rest::Request& r, RequestContext& c) {
  return Retrieve(s, r, c, false, false);
}
Result<Reply> RetrieveSeries(ApiServices& s, const Pistache::Rest::Request& r, RequestContext& c) {
  return Retrieve(s, r, c, true, false);
}
Result<Reply> RetrieveInstance(ApiServices& s, const Pistache::Rest::Request& r,
                               RequestContext& c) {
  return Retrieve(s, r, c, true, true);
}

}  // namespace

void AddWadoRetrieveRoutes(RouteTable& routes, const AuditSpec& images) {
  using Pistache::Http::Method;
  Register(routes, Method::Get, "/dicomweb/studies/:study_uid", kImageReaders, RetrieveStudy,
           images);
  Register(routes, Method::Get, "/dicomweb/studies/:study_uid/series/:series_uid", kImageReaders,
           RetrieveSeries, images);
  Register(routes, Method::Get,
           "/dicomweb/studies/:study_uid/series/:series_uid/instances/:sop_instance_uid",
           kImageReaders, RetrieveInstance, images);
}

}  // namespace telerad::api
