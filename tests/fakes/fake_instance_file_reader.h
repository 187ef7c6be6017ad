// FakeInstanceFileReader: headers by path, for unit tests of what reads landed or
// uploaded files (the landing settler). A path it has no header for reads as a file
// that is not DICOM (kMalformed), as DicomInstanceFileReader answers for one.
#pragma once

#include <map>
#include <string>

#include "src/ingest/instance_file_reader.h"

namespace telerad {

class FakeInstanceFileReader : public InstanceFileReader {
 public:
  Result<InstanceHeader> Read(const std::string& path) const override { return Describe(path); }
  Result<InstanceHeader> Describe(const std::string& path) const override {
    auto it = headers.find(path);
    if (it == headers.end()) return Status::Malformed("not a DICOM file");
    return it->second;
  }
  bool AcceptsSopClass(const std::string&) const override { return true; }

  std::map<std::string, InstanceHeader> headers;  // by path
};

}  // namespace telerad
