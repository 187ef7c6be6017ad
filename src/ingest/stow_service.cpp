#include "src/ingest/stow_service.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "src/ingest/sender_origin.h"

namespace telerad {
namespace {

// Writes `bytes` to the staging file at `path`. kResourceExhausted when the disk is
// full (the client may retry), kInternal for other I/O errors. The fsync is
// StagedFile::Commit's, as for C-STORE.
Status WriteStaged(const std::string& path, std::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0)
    return Status::Internal(std::string("cannot open staging file: ") + std::strerror(errno));
  size_t done = 0;
  int error = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno;
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == ENOSPC || error == EDQUOT) return Status::ResourceExhausted("disk full");
  if (error != 0)
    return Status::Internal(std::string("cannot write staging file: ") + std::strerror(error));
  return Status::Ok();
}

StowInstanceOutcome Failed(uint16_t failure, std::string reason) {
  StowInstanceOutcome out;
  out.failure = failure;
  out.reason = std::move(reason);
  return out;
}

}  // namespace

uint16_t StowFailureFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return stow_failure::kNone;
    case StatusCode::kInvalidArgument:
    case StatusCode::kMalformed:
    case StatusCode::kUnprocessable:
    case StatusCode::kNotFound:
      return stow_failure::kCannotUnderstand;
    case StatusCode::kConflict:
    case StatusCode::kFailedPrecondition:
      return stow_failure::kConflictsWithIndex;
    case StatusCode::kInternal:
    case StatusCode::kNotAcceptable:  // no ingest path returns these
    case StatusCode::kUnsupportedMediaType:
      return stow_failure::kProcessingFailure;
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied:
    case StatusCode::kTooLarge:
    case StatusCode::kTooManyRequests:
    case StatusCode::kUnavailable:
    case StatusCode::kResourceExhausted:
      break;
  }
  return stow_failure::kOutOfResources;
}

Result<Facility> StowService::SenderFor(const Principal& who, const std::string& requested,
                                        const std::string& client_address) {
  if (who.role != Role::kFacility && who.role != Role::kAdmin)
    return Status::PermissionDenied("only facilities and admins store instances");
  if (who.role == Role::kAdmin && requested.empty())
    return Status::InvalidArgument("an admin stores for a facility: name it in 'facility'");
  // The registry is small (a few hundred rows at most) and read once per request.
  auto all = facilities_.List();
  if (!all.ok()) return all.status();
  const Facility* found = nullptr;
  for (const Facility& f : *all) {
    if (who.role == Role::kFacility ? who.facility_id == f.id : f.code == requested) found = &f;
  }
  if (found == nullptr) {
    if (who.role == Role::kAdmin) return Status::NotFound("no such facility");
    return Status::PermissionDenied("the account's facility is not registered");
  }
  if (who.role == Role::kFacility && !requested.empty() && requested != found->code)
    return Status::PermissionDenied("a facility stores only for itself");
  if (!found->active) return Status::PermissionDenied("the facility is inactive");
  if (who.machine) {
    // A gateway's token is tied to its networks as its AE title is on the DICOM port;
    // require_tls and the certificate concern DICOM TLS and do not apply over HTTPS.
    SenderOrigin origin;
    origin.peer_address = client_address;
    if (CheckSenderOrigin(*found, origin) == OriginVerdict::kOutsideNetworks)
      return ToStatus(OriginVerdict::kOutsideNetworks);
  }
  return *found;
}

StowInstanceOutcome StowService::Store(const Facility& sender, std::string_view part,
                                       const std::string& study_uid) {
  auto staged = ingest_.Stage();
  if (!staged.ok())
    return Failed(StowFailureFor(staged.status().code()), staged.status().ToString());
  if (Status written = WriteStaged(staged->path(), part); !written.ok())
    return Failed(StowFailureFor(written.code()), written.ToString());
  staged->StartWriteback();
  auto header = reader_.Read(staged->path());
  if (!header.ok()) {
    const StatusCode code = header.status().code();
    return Failed(code == StatusCode::kInternal ? stow_failure::kProcessingFailure
                                                : stow_failure::kCannotUnderstand,
                  header.status().message());
  }
  StowInstanceOutcome out;
  out.sop_class_uid = header->sop_class_uid;
  out.sop_instance_uid = header->sop_instance_uid;
  out.study_uid = header->study_uid;
  out.series_uid = header->series_uid;
  out.bytes = part.size();
  if (!reader_.AcceptsSopClass(header->sop_class_uid)) {
    out.failure = stow_failure::kSopClassNotSupported;
    out.reason = "SOP class not supported";
    return out;
  }
  if (!study_uid.empty() && header->study_uid != study_uid) {
    out.failure = stow_failure::kDataSetDoesNotMatch;
    out.reason = "instance of another study than the request's";
    return out;
  }
  auto ingested = ingest_.Ingest(sender, *header, std::move(*staged), part.size());
  if (!ingested.ok()) {
    out.failure = StowFailureFor(ingested.status().code());
    out.reason = ingested.status().ToString();
    return out;
  }
  out.duplicate = ingested->duplicate;
  return out;
}

}  // namespace telerad
