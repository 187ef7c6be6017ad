#include "dicom/dicom_server.h"

#include "dicom/dcmtk_dicom_server.h"

namespace telerad::dicom {

DicomServer::DicomServer(IngestService& ingest, const Config& config, ServerMetrics& metrics,
                         AuditService& audit)
    : door_(std::make_unique<DcmtkDicomServer>(ingest, config, metrics, audit)) {}

DicomServer::~DicomServer() = default;

Status DicomServer::Start() { return door_->Start(); }

void DicomServer::Stop(std::chrono::seconds grace) { door_->Stop(grace); }

}  // namespace telerad::dicom
