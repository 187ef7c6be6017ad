#include "api/account_json.h"

#include "api/json_common.h"

namespace telerad::api {

nlohmann::json FacilityJson(const Facility& f) {
  nlohmann::json return_dicom = nullptr;
  if (f.return_dicom)
    return_dicom = {{"host", f.return_dicom->host},
                    {"port", f.return_dicom->port},
                    {"ae_title", f.return_dicom->ae_title}};
  return {{"code", f.code},
          {"name", f.name},
          {"aimag", f.aimag},
          {"soum", f.soum},
          {"ae_title", f.ae_title},
          {"active", f.active},
          {"return_dicom", return_dicom},
          {"allowed_networks", f.allowed_networks},
          {"require_tls", f.require_tls},
          {"tls_client_sha256", f.tls_client_sha256.empty() ? nlohmann::json(nullptr)
                                                            : nlohmann::json(f.tls_client_sha256)},
          {"version", f.version}};
}

nlohmann::json UserJson(const UserRecord& u) {
  return {{"username", u.username},
          {"role", ToString(u.role)},
          {"facility_code",
           u.role == Role::kFacility ? nlohmann::json(u.facility_code) : nlohmann::json(nullptr)},
          {"active", u.active},
          {"demo", u.demo},
          {"created_at", FormatTime(u.created_at)}};
}

}  // namespace telerad::api
