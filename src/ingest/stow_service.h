// StowService: STOW-RS (PS3.18 10.5) in the core. Each instance of a request goes
// through exactly what a C-STORE goes through: a staging file of its own (written,
// then owned by StagedFile until committed or removed), the DICOM door's screen and
// header reading (InstanceFileReader), the accepted SOP classes, then
// IngestService::Ingest, which makes the file and the index row durable (fsync, commit)
// before it returns. The HTTP door parses the multipart body and builds the PS3.18
// answer; this decides, per instance, stored or which failure.
//
// Thread-safe (holds no state of its own).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "src/base/model.h"
#include "src/base/status.h"
#include "src/index/facility_repository.h"
#include "src/ingest/ingest_service.h"
#include "src/ingest/instance_file_reader.h"

namespace telerad {

// PS3.18 10.5.3 FailureReason values, the same statuses the DICOM port answers
// (dicom/dimse_status.h) so a facility sees one meaning whichever door it used.
namespace stow_failure {
constexpr uint16_t kNone = 0;
constexpr uint16_t kProcessingFailure = 0x0110;
constexpr uint16_t kSopClassNotSupported = 0x0122;
constexpr uint16_t kOutOfResources = 0xA700;
constexpr uint16_t kDataSetDoesNotMatch = 0xA900;  // SOP class, or the study of the URL
constexpr uint16_t kCannotUnderstand = 0xC000;
constexpr uint16_t kConflictsWithIndex = 0xC001;  // UIDs already owned by another study
}  // namespace stow_failure

// What happened to one part.
struct StowInstanceOutcome {
  uint16_t failure = stow_failure::kNone;  // kNone: stored (or already held)
  std::string reason;                      // for the log: our words, never a value
  bool duplicate = false;                  // already stored by this facility, unchanged
  // From the header when it could be read (also for most failures).
  std::string sop_class_uid;
  std::string sop_instance_uid;
  std::string study_uid;
  std::string series_uid;
  uint64_t bytes = 0;
};

class StowService {
 public:
  // REQUIRES: all three outlive the service.
  StowService(IngestService& ingest, FacilityRepository& facilities,
              const InstanceFileReader& reader)
      : ingest_(ingest), facilities_(facilities), reader_(reader) {}

  // The facility a STOW-RS request stores for: a facility principal's own (a `requested`
  // code must then be empty or its own, else kPermissionDenied), an admin's `requested`
  // one (kInvalidArgument when missing, kNotFound when unknown). A machine token's
  // client address must be inside the facility's allowed_networks (kPermissionDenied).
  // kPermissionDenied for an inactive facility and for every other role.
  Result<Facility> SenderFor(const Principal& who, const std::string& requested,
                             const std::string& client_address);

  // Stores one application/dicom part (a Part 10 file) for `sender`. `study_uid`, when
  // not empty, is the study of the request URL: an instance of another study fails with
  // kDataSetDoesNotMatch and nothing is stored.
  StowInstanceOutcome Store(const Facility& sender, std::string_view part,
                            const std::string& study_uid);

 private:
  IngestService& ingest_;
  FacilityRepository& facilities_;
  const InstanceFileReader& reader_;
};

// The FailureReason for a Status of the core (IngestService, FileStore), as
// dicom/dimse_status.cpp maps it for C-STORE, kInternal being a processing failure.
uint16_t StowFailureFor(StatusCode code);

}  // namespace telerad
