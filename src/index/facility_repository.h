// FacilityRepository: the registry of sending facilities. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "src/base/audit_entry.h"
#include "src/base/model.h"
#include "src/base/status.h"

namespace telerad {

class FacilityRepository {
 public:
  virtual ~FacilityRepository() = default;

  // The facility registered with this AE title (active or not), or nullopt.
  virtual Result<std::optional<Facility>> FindByAeTitle(const std::string& ae_title) = 0;

  // The facility with this code, or nullopt.
  virtual Result<std::optional<Facility>> FindByCode(const std::string& code) = 0;

  // Every facility, by code.
  virtual Result<std::vector<Facility>> List() = 0;

  // Creates the facility. kConflict if its code or AE title is taken.
  // Create and Update append `audit` in their transaction (its id set), as the study
  // repository's writes do; Upsert is the seeders' and records nothing.
  virtual Result<Facility> Create(const Facility& facility, AuditEntry& audit) = 0;

  // Replaces name, aimag, soum, AE title, active, return address and DICOM origin
  // settings (networks, TLS, certificate) of the facility with `facility.code`, if its
  // stored version is still `facility.version`, and bumps the version. kNotFound for an
  // unknown code, kFailedPrecondition if the version moved on (nothing written),
  // kConflict if the AE title is taken. Deactivating ends the sessions of the facility's
  // accounts in the same transaction.
  virtual Result<Facility> Update(const Facility& facility, AuditEntry& audit) = 0;

  // Creates the facility, or updates name/aimag/soum/ae_title/active/return address of
  // the one with the same code (its DICOM origin settings stay). Returns it with its id. kConflict
  // if the AE title is taken. Inactive: as Update, the facility's sessions end.
  virtual Result<Facility> Upsert(const Facility& facility) = 0;
};

}  // namespace telerad
