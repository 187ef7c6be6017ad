// The bodies WADO-RS frames and pixel bulk data go out in, from StoredFrames: frames in
// memory (decoded) written at once with a boundary checked against them; frames located
// in the stored file sent as file slices (sendfile), never read into memory.
#pragma once

#include <string>
#include <string_view>

#include "api/reply.h"
#include "src/imaging/imaging_service.h"

namespace telerad::api {

// multipart/related; type=`type`, one part per frame, each with Content-Type
// `part_content_type`. With `one_part`, all frames are one part (native pixel data is
// one value). kInternal when the stored file cannot be opened or is shorter than its
// pixel layout says: caught before the status line is sent.
Result<Reply> FramesMultipart(StoredFrames& frames, std::string_view type,
                              std::string_view part_content_type, bool one_part = false);

// All frames, one after the other, as the whole body of `content_type`.
Result<Reply> FramesBody(StoredFrames& frames, std::string content_type);

}  // namespace telerad::api
