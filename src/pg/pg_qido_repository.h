// PgQidoRepository: QIDO-RS searches on PostgreSQL. Every search is one statement over
// the study, series and instance rows (schema 0013's indexes), plus, when includefield
// asks for attributes the index does not hold, one statement fetching the stored DICOM
// JSON of one instance per match.
#pragma once

#include <string>
#include <vector>

#include "src/imaging/qido_repository.h"

namespace telerad {

class PgPool;

// The search statement of `query` and its parameters (exposed for the tests of its text).
struct QidoStatement {
  std::string sql;
  std::vector<std::string> params;
};
QidoStatement BuildQidoSearch(const QidoQuery& query, std::optional<int64_t> facility_id);

class PgQidoRepository : public QidoRepository {
 public:
  // REQUIRES: `pool` outlives this.
  explicit PgQidoRepository(PgPool& pool);

  Result<std::vector<QidoMatch>> Search(const QidoQuery& query,
                                        std::optional<int64_t> facility_id) override;

 private:
  PgPool& pool_;
};

}  // namespace telerad
