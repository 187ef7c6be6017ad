#include "api/audit_json.h"

#include "api/json_common.h"

namespace telerad::api {

nlohmann::json AuditEntryJson(const AuditEntry& e) {
  return {{"at", FormatTime(e.at)},
          {"username", e.username},
          {"role", e.role},
          {"action", e.action},
          {"object_type", e.object_type},
          {"object_id", e.object_id},
          {"remote_addr", e.remote_addr},
          {"outcome", e.outcome},
          {"returned_ids", e.returned_ids},
          {"detail", e.detail}};
}

}  // namespace telerad::api
