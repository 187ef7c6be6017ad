#include "api/body_piece.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace telerad::api {

OpenFile::~OpenFile() {
  if (fd_ >= 0) ::close(fd_);
}

BodyPiece BodyPiece::Bytes(std::string bytes) {
  BodyPiece piece;
  piece.bytes = std::move(bytes);
  return piece;
}

BodyPiece BodyPiece::Slice(std::shared_ptr<const OpenFile> file, off_t offset, size_t length) {
  BodyPiece piece;
  piece.file = std::move(file);
  piece.offset = offset;
  piece.length = length;
  return piece;
}

Result<OpenedFile> OpenForSlices(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT || errno == ENOTDIR ? Status::NotFound("no such file")
                                               : Status::Internal("cannot open a file to send");
  OpenedFile opened;
  opened.file = std::make_shared<const OpenFile>(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return Status::NotFound("not a regular file");
  opened.size = static_cast<size_t>(st.st_size);
  return opened;
}

Result<BodyPiece> BodyPiece::FileSlice(const std::string& path, off_t offset, size_t length) {
  auto opened = OpenForSlices(path);
  if (!opened.ok()) return opened.status();
  if (offset < 0 || static_cast<size_t>(offset) > opened->size)
    return Status::InvalidArgument("file slice starts past the end of the file");
  const size_t rest = opened->size - static_cast<size_t>(offset);
  if (length == kToEnd) length = rest;
  if (length > rest) return Status::InvalidArgument("file slice runs past the end of the file");
  return Slice(std::move(opened->file), offset, length);
}

}  // namespace telerad::api
