#include "api/frame_parts.h"

#include <utility>
#include <vector>

#include "api/multipart.h"

namespace telerad::api {
namespace {

// Every slice of `frames` as body pieces of one open file, checked against its size.
Result<std::vector<std::vector<BodyPiece>>> SlicePieces(const StoredFrames& frames) {
  auto opened = OpenForSlices(frames.path);
  if (!opened.ok()) return Status::Internal("a stored instance file cannot be opened");
  std::vector<std::vector<BodyPiece>> pieces;
  pieces.reserve(frames.slices.size());
  for (const auto& frame : frames.slices) {
    pieces.emplace_back();
    for (const FileSlice& slice : frame) {
      if (slice.offset > opened->size || slice.length > opened->size - slice.offset)
        return Status::Internal("stored file shorter than its pixel layout");
      pieces.back().push_back(BodyPiece::Slice(opened->file, static_cast<off_t>(slice.offset),
                                               static_cast<size_t>(slice.length)));
    }
  }
  return pieces;
}

}  // namespace

Result<Reply> FramesMultipart(StoredFrames& frames, std::string_view type,
                              std::string_view part_content_type, bool one_part) {
  Reply reply;
  if (!frames.in_file()) {
    std::vector<std::string> parts;
    if (one_part) {
      parts.emplace_back();
      for (const std::string& frame : frames.frames) parts.back() += frame;
    } else {
      parts = std::move(frames.frames);
    }
    MultipartBody multipart = WriteMultipartRelated(type, part_content_type, parts);
    reply.body = std::move(multipart.body);
    reply.content_type = std::move(multipart.content_type);
    return reply;
  }
  auto pieces = SlicePieces(frames);
  if (!pieces.ok()) return pieces.status();
  if (one_part) {
    std::vector<BodyPiece> all;
    for (auto& frame : *pieces)
      for (BodyPiece& piece : frame) all.push_back(std::move(piece));
    pieces->assign(1, std::move(all));
  }
  // 192 random bits, as for retrieve: the parts are not read, so not checked. The part
  // headers are those of the in-memory writer (no Content-Length), whichever way a
  // frame is sent.
  const std::string boundary = RandomBoundary();
  reply.content_type = MultipartRelatedType(type, boundary);
  for (size_t i = 0; i < pieces->size(); ++i) {
    PartHeaders headers;
    headers.content_type = std::string(part_content_type);
    reply.pieces.push_back(BodyPiece::Bytes(PartPrologue(boundary, headers, i == 0)));
    for (BodyPiece& piece : (*pieces)[i]) reply.pieces.push_back(std::move(piece));
  }
  reply.pieces.push_back(BodyPiece::Bytes(CloseDelimiter(boundary)));
  return reply;
}

Result<Reply> FramesBody(StoredFrames& frames, std::string content_type) {
  Reply reply;
  reply.content_type = std::move(content_type);
  if (!frames.in_file()) {
    for (const std::string& frame : frames.frames) reply.body += frame;
    return reply;
  }
  auto pieces = SlicePieces(frames);
  if (!pieces.ok()) return pieces.status();
  for (auto& frame : *pieces)
    for (BodyPiece& piece : frame) reply.pieces.push_back(std::move(piece));
  return reply;
}

}  // namespace telerad::api
