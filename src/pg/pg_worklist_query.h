// The worklist query: the statement for one combination of filters, and the opaque
// keyset cursor it pages with. Only src/pg/ includes it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "src/base/model.h"
#include "src/index/study_repository.h"

namespace telerad {

struct CursorKey {
  std::string not_critical;  // inbox only: "true" / "false"
  std::string priority, sla, id;
};

// Cursors are the last row's sort key: "priority.sla_micros.id" for the worklist and
// "critical.priority.sla_micros.id" for an inbox (critical 0 = a critical finding pending,
// as NOT critical_pending sorts; sla -1 = none). Only characters that survive a URL
// unencoded, since Pistache 0.0.5 does not percent-decode query values. Opaque to clients;
// the part count tells the two orders apart, so one order's cursor is refused by the other.
std::string EncodeCursor(const Study& last_row, bool inbox);
// false for anything EncodeCursor(…, inbox) did not produce.
bool DecodeCursor(const std::string& cursor, bool inbox, CursorKey* key);

// The worklist query for one combination of filters, with only those filters in it, and
// its parameters. Optional filters written as "($1 IS NULL OR col = $1)" leave the
// planner unable to use an index for a filter that is present, so each combination has
// its own text.
//
// Plan caching: with LIMIT as a parameter PostgreSQL costs the generic plan for 10 % of
// the rows, finds it dearer than a custom plan and re-plans on every execution (0.3 ms,
// as long as executing the query). The row count is therefore written into the text,
// rounded up to a few sizes, and the generic plan is then used from the sixth execution
// on. Each prepared plan holds ~170 kB in its backend, so only the combinations the
// reading screens send all day are prepared (status, modality, the facility scope and
// the cursor: at most 16 texts x 5 sizes per connection); any other filter runs as an
// unnamed statement, planned for its actual values each time.
struct ListStatement {
  std::string name;  // empty: run unnamed
  std::string sql;
  std::vector<std::string> params;
  int rows = 0;  // LIMIT: at least one more than the page, so we know if another follows
};

ListStatement BuildList(const StudyQuery& query, const std::optional<CursorKey>& cursor);

}  // namespace telerad
