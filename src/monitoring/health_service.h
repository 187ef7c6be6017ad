// HealthService: whether this process can do its work right now (for /readyz).
// Thread-safe.
#pragma once

#include "src/index/study_repository.h"
#include "src/storage/file_store.h"

namespace telerad {

struct Readiness {
  Status database;
  Status storage;
  bool ok() const { return database.ok() && storage.ok(); }
};

class HealthService {
 public:
  HealthService(StudyRepository& studies, FileStore& files) : studies_(studies), files_(files) {}
  // Asks the database a trivial question and creates, syncs and removes a probe file.
  Readiness Check() { return {studies_.Ping(), files_.CheckWritable()}; }

 private:
  StudyRepository& studies_;
  FileStore& files_;
};

}  // namespace telerad
