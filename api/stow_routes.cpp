// STOW-RS (PS3.18 10.5): POST /dicomweb/studies and /dicomweb/studies/{study}, a
// multipart/related body of application/dicom parts, from facility users, a facility's
// machine token (its gateway), or an admin naming the facility in `?facility=CODE`.
// Each part is stored exactly as a C-STORE would be (src/ingest/stow_service.h); the
// answer is the PS3.18 response (api/stow_response.h). The audit trail gets one entry
// per request, as the DICOM port writes one per association: "dicomweb.store", the
// facility, the client address, the studies (returned_ids) and counts (detail).
//
// Memory: Pistache 0.0.5 holds the whole body (up to dicomweb_max_stow_bytes); the parts
// are views into it, each written to its own staging file in turn, so storing adds no
// copy of the body.
#include <chrono>
#include <set>

#include "api/http_error.h"
#include "api/media_type.h"
#include "api/multipart.h"
#include "api/query_params.h"
#include "api/route_table.h"
#include "api/stow_response.h"
#include "src/audit/audit_outcome.h"
#include "src/base/logging.h"

namespace telerad::api {
namespace {

// The boundary of a multipart/related body of application/dicom parts (the `type`
// parameter, PS3.18 8.6.1.2), or the reason it is not one: 415 for another media type.
Result<std::string> DicomMultipartBoundary(const Pistache::Rest::Request& req) {
  auto raw = req.headers().tryGetRaw("Content-Type");
  if (!raw) return Status::InvalidArgument("Content-Type is required");
  const std::string value = raw->value();
  auto media = ParseMediaType(value);
  if (!media.ok() || media->Essence() != "multipart/related")
    return Status::Unprocessable("STOW-RS takes multipart/related; type=\"application/dicom\"");
  auto type = media->Param("type");
  auto boundary = media->Param("boundary");
  auto part_type = type ? ParseMediaType(*type) : Result<MediaType>(Status::InvalidArgument(""));
  if (!part_type.ok() || part_type->Essence() != "application/dicom")
    return Status::Unprocessable("STOW-RS takes multipart/related; type=\"application/dicom\"");
  if (!boundary) return Status::InvalidArgument("multipart Content-Type without a boundary");
  return *boundary;
}

Result<Reply> StoreInstances(ApiServices& services, const Pistache::Rest::Request& req,
                             RequestContext& ctx) {
  const auto begin = std::chrono::steady_clock::now();
  ctx.audit.outcome = AuditOutcome(Status::InvalidArgument(""));
  std::string requested;
  if (Status s = TextParam(req, "facility", requested); !s.ok()) return s;
  auto sender = services.stow->SenderFor(*ctx.principal, requested, ctx.remote_address);
  if (!sender.ok()) return sender.status();
  ctx.audit.object_id = sender->code;
  auto boundary = DicomMultipartBoundary(req);
  if (!boundary.ok()) {
    if (boundary.status().code() == StatusCode::kUnprocessable)
      return Status::UnsupportedMediaType(boundary.status().message());
    return boundary.status();
  }
  auto parts = ParseMultipart(req.body(), *boundary);
  if (!parts.ok()) return parts.status();

  std::string study_uid;
  if (req.hasParam(":study_uid")) study_uid = PathParam(req, ":study_uid");
  std::vector<StowInstanceOutcome> outcomes;
  outcomes.reserve(parts->size());
  std::set<std::string> studies;
  int stored = 0, duplicates = 0, failed = 0;
  uint64_t bytes = 0;
  for (const MultipartPart& part : *parts) {
    StowInstanceOutcome o;
    auto type = part.Header("Content-Type");
    auto media =
        type ? ParseMediaType(*type) : Result<MediaType>(MediaType{"application", "dicom", {}});
    if (!media.ok() || media->Essence() != "application/dicom") {
      // A part of another type (say, metadata with bulk data) is not taken here.
      o.failure = stow_failure::kCannotUnderstand;
      o.reason = "part is not application/dicom";
    } else {
      o = services.stow->Store(*sender, part.body, study_uid);
    }
    if (o.failure == stow_failure::kNone) {
      studies.insert(o.study_uid);
      o.duplicate ? ++duplicates : ++stored;
      if (!o.duplicate) bytes += o.bytes;
    } else {
      ++failed;
      ApiLog().warn(
          "event=stow_instance_refused facility={} peer={} failure=0x{:04X} reason=\"{}\"",
          sender->code, ctx.remote_address, o.failure, o.reason);
    }
    outcomes.push_back(std::move(o));
  }
  ctx.audit.returned_ids.assign(studies.begin(), studies.end());
  ctx.audit.detail =
      "studies=" + std::to_string(studies.size()) + " stored=" + std::to_string(stored) +
      " duplicates=" + std::to_string(duplicates) + " failed=" + std::to_string(failed) +
      " bytes=" + std::to_string(bytes) + (ctx.principal->machine ? " machine_token=true" : "");
  ctx.audit.outcome = AuditOutcome(failed == 0 ? Status::Ok() : Status::InvalidArgument(""));
  ApiLog().info(
      "event=stow_ended facility={} peer={} stored={} duplicates={} failed={} bytes={} "
      "seconds={:.3f}",
      sender->code, ctx.remote_address, stored, duplicates, failed, bytes,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
  return StowResponse(outcomes);
}

}  // namespace

void AddStowRoutes(RouteTable& routes) {
  using Pistache::Http::Method;
  for (const char* path : {"/dicomweb/studies", "/dicomweb/studies/:study_uid"}) {
    AuditSpec audit{"dicomweb.store", "facility", ""};
    audit.durable = true;
    audit.summary = true;
    Route& route =
        Register(routes, Method::Post, path, kAllowFacility | kAllowAdmin, StoreInstances, audit);
    route.accepts_machine_token = true;
    route.large_body = true;
  }
}

}  // namespace telerad::api
