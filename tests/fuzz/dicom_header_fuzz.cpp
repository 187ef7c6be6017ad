// Fuzzes the DICOM header reader (dicom/header_reader.h) with any bytes a peer could
// have sent as a file. The reader takes a path, as the ingest pipeline gives it one, so
// each input is first written to one temporary file of this process.
#include <dcmtk/oflog/oflog.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "dicom/header_reader.h"

namespace {

std::string TempPath() {
  const char* dir = std::getenv("TMPDIR");
  std::string base = dir && *dir ? dir : (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
  return base + "/telerad-header-fuzz-" + std::to_string(getpid()) + ".dcm";
}

}  // namespace

// DCMTK would log a warning for nearly every input, burying libFuzzer's own output.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = TempPath();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto header = telerad::dicom::ReadInstanceHeader(path);
  // May point past the end when the group length lies: its caller compares it with the
  // bytes received, so only crashes count here.
  (void)telerad::dicom::DataSetOffset(path);
  // Header text goes into JSON answers and PostgreSQL text columns: valid UTF-8 without
  // NUL (which PostgreSQL refuses) whatever the file's bytes were. (UIDs and dates are
  // checked by IngestService and the repository, not here.)
  if (header.ok()) {
    const auto& h = header.value().header;
    for (const std::string* text :
         {&h.patient_name, &h.patient_id, &h.accession_number, &h.study_description,
          &h.series_description, &h.modality, &h.patient_sex})
      if (text->find('\0') != std::string::npos || telerad::dicom::SanitizeUtf8(*text) != *text)
        std::abort();
  }
  return 0;
}
