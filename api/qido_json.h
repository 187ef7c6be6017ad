// The QIDO-RS answer (PS3.18 10.6.3): a JSON array of DICOM JSON data sets, one per
// match, with the level's default attributes (tables 10.6.3-3 to -5, plus the UIDs of
// the levels above, which a viewer needs to ask for the next level) from the index, and
// the includefield attributes: from the index when it holds them, otherwise from the
// stored metadata of the match's representative instance (omitted when none is stored).
#pragma once

#include <string>
#include <vector>

#include "src/imaging/qido_query.h"
#include "src/imaging/qido_repository.h"

namespace telerad::api {

// Appends `[…]` to `out`.
void AppendQidoAnswer(std::string& out, const QidoQuery& query,
                      const std::vector<QidoMatch>& matches);

}  // namespace telerad::api
