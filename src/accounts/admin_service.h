// AdminService: the registry of facilities and user accounts (admins only; DESIGN.md,
// "The three users"). Both the HTTP API and the `telerad user add` command use it, so
// the validation rules live here once. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "src/accounts/password_hasher.h"
#include "src/accounts/user_repository.h"
#include "src/base/model.h"
#include "src/base/status.h"
#include "src/index/facility_repository.h"

namespace telerad {

// A partial change of a facility; unset fields keep their value. `return_dicom` set to
// a nullopt inside clears the address.
struct FacilityChange {
  std::optional<std::string> name, aimag, soum, ae_title;
  std::optional<bool> active;
  std::optional<std::optional<ReturnDicom>> return_dicom;
  std::optional<std::vector<std::string>> allowed_networks;
  std::optional<bool> require_tls;
  std::optional<std::string> tls_client_sha256;  // "" clears it
};

struct NewUser {
  std::string username;
  Role role = Role::kRadiologist;
  std::string facility_code;  // facility users only
  std::string password;
};

// Passwords set by admins: at least this long (a passphrase), at most 1 KiB.
inline constexpr size_t kMinPasswordLength = 12;

class AdminService {
 public:
  AdminService(FacilityRepository& facilities, UserRepository& users, PasswordHasher& hasher);

  // Every method: kPermissionDenied unless `who` is an admin; kUnprocessable for invalid
  // values (the message names the field); kNotFound for an unknown code or username;
  // kConflict for a taken code, AE title or username. The four writes take the change's
  // `audit` entry, appended in the change's own transaction (its id set).
  Result<std::vector<Facility>> ListFacilities(const Principal& who);
  Result<Facility> GetFacility(const Principal& who, const std::string& code);
  Result<Facility> CreateFacility(const Principal& who, Facility facility, AuditEntry& audit);
  // Applies the fields `change` names onto the stored entry. With `expected_version`
  // (If-Match), only onto that version: kFailedPrecondition once it moved on. Without,
  // onto the latest: a change that lands between this read and this write is merged
  // into again, never overwritten (up to a few times, then kConflict).
  Result<Facility> ChangeFacility(const Principal& who, const std::string& code,
                                  const FacilityChange& change, std::optional<int> expected_version,
                                  AuditEntry& audit);

  Result<std::vector<UserRecord>> ListUsers(const Principal& who);
  Result<UserRecord> GetUser(const Principal& who, const std::string& username);
  Result<UserRecord> CreateUser(const Principal& who, const NewUser& user, AuditEntry& audit);
  // Enables/disables the account and/or sets a new password; either ends its sessions.
  // An admin cannot disable their own account (there would be no one left to undo it).
  Result<UserRecord> ChangeUser(const Principal& who, const std::string& username,
                                std::optional<bool> active, std::optional<std::string> password,
                                AuditEntry& audit);

 private:
  FacilityRepository& facilities_;
  UserRepository& users_;
  PasswordHasher& hasher_;
};

// Field checks, exposed for unit tests. Each returns kUnprocessable naming the field.
Status ValidateFacility(const Facility& facility);
Status ValidateUsername(const std::string& username);
Status ValidatePassword(const std::string& password);

}  // namespace telerad
