#include "src/accounts/admin_service.h"

#include <algorithm>
#include <cctype>

#include "src/base/ip_network.h"

namespace telerad {
namespace {

Status AdminOnly(const Principal& who) {
  if (who.role != Role::kAdmin) return Status::PermissionDenied("only admins manage the registry");
  return Status::Ok();
}

bool AllOf(const std::string& s, bool (*ok)(unsigned char)) {
  return std::all_of(s.begin(), s.end(),
                     [ok](char c) { return ok(static_cast<unsigned char>(c)); });
}

// DICOM AE title (PS3.5 §6.2, VR AE): 1-16 characters of the default repertoire without
// backslash or control characters, not only spaces.
bool IsAeTitle(const std::string& ae) {
  return !ae.empty() && ae.size() <= 16 && ae.find_first_not_of(' ') != std::string::npos &&
         AllOf(ae, [](unsigned char c) { return c >= 0x20 && c < 0x7f && c != '\\'; });
}

// Host name or IP address: letters, digits, '.', '-', ':' (IPv6), at most 253 characters.
bool IsHost(const std::string& host) {
  return !host.empty() && host.size() <= 253 && AllOf(host, [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '-' || c == ':';
  });
}

Status Text(const std::string& value, const char* field, size_t min, size_t max) {
  if (value.size() < min || value.size() > max)
    return Status::Unprocessable(std::string("'") + field + "' must be " + std::to_string(min) +
                                 " to " + std::to_string(max) + " bytes");
  if (!AllOf(value, [](unsigned char c) { return c >= 0x20 && c != 0x7f; }))
    return Status::Unprocessable(std::string("'") + field +
                                 "' must not contain control characters");
  return Status::Ok();
}

// At most this many allowed networks per facility: a registry entry, not a firewall.
constexpr size_t kMaxAllowedNetworks = 64;

// Checks the DICOM origin settings and writes them in canonical form: networks as
// "10.1.0.0/16" (400 invalid_argument for one that is not a CIDR network), the
// fingerprint as 64 lower-case hex digits (colons as `openssl x509 -fingerprint`
// prints them are dropped).
Status NormalizeDicomOrigin(Facility& f) {
  if (f.allowed_networks.size() > kMaxAllowedNetworks)
    return Status::InvalidArgument("'allowed_networks' holds at most " +
                                   std::to_string(kMaxAllowedNetworks) + " networks");
  for (std::string& text : f.allowed_networks) {
    auto network = ParseIpNetwork(text);
    if (!network.ok())
      return Status::InvalidArgument("'allowed_networks': " + network.status().message());
    text = ToString(*network);
  }
  std::string hex;
  for (char c : f.tls_client_sha256) {
    if (c == ':') continue;
    hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!hex.empty() &&
      (hex.size() != 64 || !AllOf(hex, [](unsigned char c) { return std::isxdigit(c) != 0; })))
    return Status::InvalidArgument(
        "'tls_client_sha256' must be the SHA-256 fingerprint of the client certificate: 64 hex "
        "digits, optionally colon-separated");
  f.tls_client_sha256 = hex;
  if (f.require_tls && f.tls_client_sha256.empty())
    return Status::Unprocessable("'require_tls' needs the facility's 'tls_client_sha256'");
  return Status::Ok();
}

}  // namespace

Status ValidateFacility(const Facility& f) {
  if (f.code.empty() || f.code.size() > 32 ||
      !AllOf(f.code, [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; }))
    return Status::Unprocessable("'code' must be 1-32 letters, digits, '_' or '-'");
  if (Status s = Text(f.name, "name", 1, 200); !s.ok()) return s;
  if (Status s = Text(f.aimag, "aimag", 1, 200); !s.ok()) return s;
  if (Status s = Text(f.soum, "soum", 0, 200); !s.ok()) return s;
  if (!IsAeTitle(f.ae_title))
    return Status::Unprocessable("'ae_title' must be 1-16 printable ASCII characters, no '\\\\'");
  if (f.return_dicom) {
    if (!IsHost(f.return_dicom->host))
      return Status::Unprocessable("'return_dicom.host' must be a host name or IP address");
    if (f.return_dicom->port < 1 || f.return_dicom->port > 65535)
      return Status::Unprocessable("'return_dicom.port' must be 1-65535");
    if (!IsAeTitle(f.return_dicom->ae_title))
      return Status::Unprocessable("'return_dicom.ae_title' must be a DICOM AE title");
  }
  return Status::Ok();
}

Status ValidateUsername(const std::string& u) {
  if (u.size() < 2 || u.size() > 64 || !AllOf(u, [](unsigned char c) {
        return std::islower(c) || std::isdigit(c) || c == '_' || c == '.' || c == '-';
      }))
    return Status::Unprocessable(
        "'username' must be 2-64 lower-case letters, digits, '_', '.', '-'");
  return Status::Ok();
}

Status ValidatePassword(const std::string& p) {
  if (p.size() < kMinPasswordLength || p.size() > 1024)
    return Status::Unprocessable("'password' must be at least 12 characters (a passphrase)");
  return Status::Ok();
}

AdminService::AdminService(FacilityRepository& facilities, UserRepository& users,
                           PasswordHasher& hasher)
    : facilities_(facilities), users_(users), hasher_(hasher) {}

Result<std::vector<Facility>> AdminService::ListFacilities(const Principal& who) {
  if (Status s = AdminOnly(who); !s.ok()) return s;
  return facilities_.List();
}

Result<Facility> AdminService::GetFacility(const Principal& who, const std::string& code) {
  if (Status s = AdminOnly(who); !s.ok()) return s;
  auto found = facilities_.FindByCode(code);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::NotFound("no such facility");
  return std::move(**found);
}

Result<Facility> AdminService::CreateFacility(const Principal& who, Facility f, AuditEntry& audit) {
  if (Status s = AdminOnly(who); !s.ok()) return s;
  if (Status s = ValidateFacility(f); !s.ok()) return s;
  if (Status s = NormalizeDicomOrigin(f); !s.ok()) return s;
  return facilities_.Create(f, audit);
}

Result<Facility> AdminService::ChangeFacility(const Principal& who, const std::string& code,
                                              const FacilityChange& c,
                                              std::optional<int> expected_version,
                                              AuditEntry& audit) {
  // Another admin's change between a read and a write is rare; a few merges are plenty.
  constexpr int kAttempts = 4;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto current = GetFacility(who, code);
    if (!current.ok()) return current.status();
    Facility f = std::move(*current);
    if (expected_version && f.version != *expected_version)
      return Status::FailedPrecondition("the facility was changed meanwhile: it is now version " +
                                        std::to_string(f.version) + ", not " +
                                        std::to_string(*expected_version));
    if (c.name) f.name = *c.name;
    if (c.aimag) f.aimag = *c.aimag;
    if (c.soum) f.soum = *c.soum;
    if (c.ae_title) f.ae_title = *c.ae_title;
    if (c.active) f.active = *c.active;
    if (c.return_dicom) f.return_dicom = *c.return_dicom;
    if (c.allowed_networks) f.allowed_networks = *c.allowed_networks;
    if (c.require_tls) f.require_tls = *c.require_tls;
    if (c.tls_client_sha256) f.tls_client_sha256 = *c.tls_client_sha256;
    if (Status s = ValidateFacility(f); !s.ok()) return s;
    if (Status s = NormalizeDicomOrigin(f); !s.ok()) return s;
    auto updated = facilities_.Update(f, audit);
    if (updated.ok() || updated.status().code() != StatusCode::kFailedPrecondition ||
        expected_version)
      return updated;
  }
  // Not a precondition the client set (that would be 412): the entry kept moving.
  return Status::Conflict("the facility was changed by others " + std::to_string(kAttempts) +
                          " times while this change was applied: send it again");
}

Result<std::vector<UserRecord>> AdminService::ListUsers(const Principal& who) {
  if (Status s = AdminOnly(who); !s.ok()) return s;
  return users_.List();
}

Result<UserRecord> AdminService::GetUser(const Principal& who, const std::string& username) {
  if (Status s = AdminOnly(who); !s.ok()) return s;
  auto found = users_.FindByUsername(username);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::NotFound("no such user");
  return std::move(**found);
}

Result<UserRecord> AdminService::CreateUser(const Principal& who, const NewUser& n,
                                            AuditEntry& audit) {
  if (Status s = AdminOnly(who); !s.ok()) return s;
  if (Status s = ValidateUsername(n.username); !s.ok()) return s;
  if (Status s = ValidatePassword(n.password); !s.ok()) return s;
  UserRecord u;
  u.username = n.username;
  u.role = n.role;
  if (n.role == Role::kFacility) {
    if (n.facility_code.empty())
      return Status::Unprocessable("'facility_code' is required for facility users");
    auto facility = facilities_.FindByCode(n.facility_code);
    if (!facility.ok()) return facility.status();
    if (!facility->has_value()) return Status::Unprocessable("'facility_code' names no facility");
    u.facility_id = (*facility)->id;
  } else if (!n.facility_code.empty()) {
    return Status::Unprocessable("'facility_code' is for facility users only");
  }
  auto hash = hasher_.Hash(n.password);
  if (!hash.ok()) return hash.status();
  u.password_hash = *hash;
  return users_.Create(u, audit);
}

Result<UserRecord> AdminService::ChangeUser(const Principal& who, const std::string& username,
                                            std::optional<bool> active,
                                            std::optional<std::string> password,
                                            AuditEntry& audit) {
  if (Status s = AdminOnly(who); !s.ok()) return s;
  if (active && !*active && username == who.username)
    return Status::Conflict("you cannot disable your own account");
  std::optional<std::string> hash;
  if (password) {
    if (Status s = ValidatePassword(*password); !s.ok()) return s;
    auto hashed = hasher_.Hash(*password);
    if (!hashed.ok()) return hashed.status();
    hash = *hashed;
  }
  auto updated = users_.Update(username, active, hash, audit);
  // A new password also lifts a lockout: the admin has just re-established the account.
  if (updated.ok() && password) (void)users_.ClearFailedLogins(username);
  return updated;
}

}  // namespace telerad
