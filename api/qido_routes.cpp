// QIDO-RS (DICOM PS3.18 10.6) under /dicomweb: searches for studies, a study's series,
// a series' instances and a study's instances, answered from the index as
// application/dicom+json. An empty result is 200 with `[]`, which PS3.18 allows beside
// 204 and every DICOMweb client reads (OHIF parses the body as JSON).
#include "api/accept_header.h"
#include "api/qido_json.h"
#include "api/query_params.h"
#include "api/route_table.h"

namespace telerad::api {
namespace {

constexpr RoleSet kImageReaders = kAllowAdmin | kAllowRadiologist | kAllowFacility;

// The query parameters, percent-decoded. Pistache 0.0.5 keeps only the first of a
// repeated parameter (Query::add inserts into an unordered_map,
// pistache@0.0.5:src/common/http.cc), so a list goes in one value, comma-separated
// (includefield=00081030,00080060), as PS3.18 10.6.1.2 allows.
Result<std::vector<QueryParam>> DecodedParams(const Pistache::Rest::Request& req) {
  std::vector<QueryParam> params;
  const auto& query = req.query();
  for (const std::string& name : query.parameters()) {
    auto key = PercentDecode(name);
    auto value = PercentDecode(query.get(name).value_or(""));
    if (!key || !value)
      return Status::InvalidArgument("query parameter '" + name + "' is not percent-encoded UTF-8");
    params.emplace_back(std::move(*key), std::move(*value));
  }
  return params;
}

// The media type to answer in (PS3.18 8.7.2): application/dicom+json, or
// application/json for a client that asks only that (the same bytes). Malformed Accept:
// 400; neither (e.g. application/dicom+xml, not served): 406.
Result<std::string> AnswerType(const Pistache::Rest::Request& req) {
  std::string header;
  if (auto raw = req.headers().tryGetRaw("Accept")) header = raw->value();
  auto ranges = ParseAccept(header);
  if (!ranges.ok()) return ranges.status();
  static const std::vector<Offer> kOffers = {{MediaType{"application", "dicom+json", {}}, {}},
                                             {MediaType{"application", "json", {}}, {}}};
  auto best = BestOffer(*ranges, kOffers);
  if (!best) return Status::NotAcceptable("search results are application/dicom+json");
  return kOffers[*best].media.Essence();
}

Result<Reply> Search(ApiServices& services, const Pistache::Rest::Request& req, RequestContext& ctx,
                     QidoLevel level) {
  auto type = AnswerType(req);
  if (!type.ok()) return type.status();
  auto params = DecodedParams(req);
  if (!params.ok()) return params.status();
  std::string study_uid, series_uid;
  if (level != QidoLevel::kStudy) study_uid = PathParam(req, ":study_uid");
  if (req.hasParam(":series_uid")) series_uid = PathParam(req, ":series_uid");
  auto query = ParseQidoQuery(level, study_uid, series_uid, *params);
  if (!query.ok()) return query.status();
  auto matches = services.qido->Search(*ctx.principal, *query);
  if (!matches.ok()) return matches.status();
  // The read's audit entry names every study the answer showed, once each.
  for (const QidoMatch& m : *matches)
    if (ctx.audit.returned_ids.empty() || ctx.audit.returned_ids.back() != m.study_uid)
      ctx.audit.returned_ids.push_back(m.study_uid);
  Reply reply;
  reply.content_type = std::move(*type);
  reply.body.reserve(64 + 1200 * matches->size());
  AppendQidoAnswer(reply.body, *query, *matches);
  return reply;
}

Result<Reply> SearchStudies(ApiServices& services, const Pistache::Rest::Request& req,
                            RequestContext& ctx) {
  return Search(services, req, ctx, QidoLevel::kStudy);
}

Result<Reply> SearchSeries(ApiServices& services, const Pistache::Rest::Request& req,
                           RequestContext& ctx) {
  return Search(services, req, ctx, QidoLevel::kSeries);
}

Result<Reply> SearchInstances(ApiServices& services, const Pistache::Rest::Request& req,
                              RequestContext& ctx) {
  return Search(services, req, ctx, QidoLevel::kInstance);
}

}  // namespace

void AddQidoRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  Register(routes, Method::Get, "/dicomweb/studies", kImageReaders, SearchStudies,
           {"dicomweb.search", "study", ""});
  Register(routes, Method::Get, "/dicomweb/studies/:study_uid/series", kImageReaders, SearchSeries,
           {"dicomweb.search", "study", ":study_uid"});
  Register(routes, Method::Get, "/dicomweb/studies/:study_uid/series/:series_uid/instances",
           kImageReaders, SearchInstances, {"dicomweb.search", "study", ":study_uid"});
  Register(routes, Method::Get, "/dicomweb/studies/:study_uid/instances", kImageReaders,
           SearchInstances, {"dicomweb.search", "study", ":study_uid"});
}

}  // namespace telerad::api
