#include "src/imaging/qido_service.h"

namespace telerad {

QidoService::QidoService(QidoRepository& index) : index_(index) {}

Result<std::vector<QidoMatch>> QidoService::Search(const Principal& who, const QidoQuery& query) {
  switch (who.role) {
    case Role::kAdmin:
    case Role::kRadiologist:
      return index_.Search(query, std::nullopt);
    case Role::kFacility:
      // A facility account always has its facility; without one it sees nothing.
      if (!who.facility_id) return Status::PermissionDenied("no facility for this account");
      return index_.Search(query, who.facility_id);
    default:
      return Status::PermissionDenied("images are for radiologists and the sending facility");
  }
}

}  // namespace telerad
