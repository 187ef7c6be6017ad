// DicomServer: the DICOM door as the app (src/app/) sees it. A facade with no library
// header, so that src/ stays free of DCMTK (README, "Layout"); the door itself is
// DcmtkDicomServer (dcmtk_dicom_server.h). Start() and Stop() are called from one
// owning thread.
#pragma once

#include <chrono>
#include <memory>

#include "src/base/status.h"
#include "src/config/config.h"

namespace telerad {
class AuditService;
class IngestService;
class ServerMetrics;
}  // namespace telerad

namespace telerad::dicom {

class DcmtkDicomServer;

class DicomServer {
 public:
  // REQUIRES: `ingest`, `metrics` and `audit` outlive the server. `audit` receives one
  // entry per association that stored anything or was turned away after naming its AE
  // title.
  DicomServer(IngestService& ingest, const Config& config, ServerMetrics& metrics,
              AuditService& audit);
  ~DicomServer();
  DicomServer(const DicomServer&) = delete;
  DicomServer& operator=(const DicomServer&) = delete;

  // Opens the ports and starts the threads. kUnavailable if a port cannot be opened,
  // kInvalidArgument if the TLS certificate, key or CA cannot be used.
  Status Start();

  // Stops accepting, lets every instance being received finish and be answered, ends
  // the associations and joins all threads. After `grace`, connections still open are
  // cut. Idempotent.
  void Stop(std::chrono::seconds grace);

 private:
  std::unique_ptr<DcmtkDicomServer> door_;
};

}  // namespace telerad::dicom
