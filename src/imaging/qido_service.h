// QidoService: who may search the image index, and in which studies (the REST API's
// rule, src/index/study_access.h): radiologists and admins every study, a facility user
// its own facility's only (another facility's study is simply absent from the answer),
// ministry and specialist users none (kPermissionDenied). Thread-safe.
#pragma once

#include <vector>

#include "src/base/model.h"
#include "src/base/status.h"
#include "src/imaging/qido_repository.h"

namespace telerad {

class QidoService {
 public:
  explicit QidoService(QidoRepository& index);

  Result<std::vector<QidoMatch>> Search(const Principal& who, const QidoQuery& query);

 private:
  QidoRepository& index_;
};

}  // namespace telerad
