// The names of files in the store's landing folder (DiskFileStore, "Landing").
//
// A landed file is durable but may not be indexed yet; its name is the only record of
// what DICOM cannot say about it, the facility that sent it, and of the storage key the
// index row names: "<facility id>_<study UID>_<series UID>_<file name>", where the file
// name is the key's last part ("<sop>.dcm" or a variant "<sop>-<pid>-<n>.dcm"). UIDs hold
// only digits and dots, so the underscores split the name without ambiguity and a
// name can always be turned back into its key. Free functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace telerad {

// A file in the landing folder, as its name describes it.
struct LandedFile {
  int64_t facility_id = 0;
  std::string key;   // the storage key the index row names (its final place)
  std::string name;  // its name in the landing folder
};

// The landing name of `key` sent by `facility_id`. REQUIRES: key is a storage key
// ("<study>/<series>/<file>.dcm", StorageKeyFor or one of its variants), facility_id > 0.
std::string LandingNameFor(int64_t facility_id, const std::string& key);

// The landed file `name` describes, or nullopt when it is not a landing name (a stray
// file, a name from another program): such a file is set aside, never indexed.
std::optional<LandedFile> ParseLandingName(const std::string& name);

// The SOP Instance UID in a storage key's file name (the variant suffix dropped), or ""
// when the key is not a storage key.
std::string SopInstanceUidOfKey(const std::string& key);

}  // namespace telerad
