// BodyPiece: a part of a response body that follows Reply::body: bytes held in memory,
// or a slice of an open file that the writer sends with sendfile(2), so a stored
// instance or a 17 MB viewer bundle never has to be read into memory.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "src/base/status.h"

namespace telerad::api {

// An open file descriptor, closed when the last piece that uses it is gone.
class OpenFile {
 public:
  explicit OpenFile(int fd) : fd_(fd) {}
  ~OpenFile();
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// A regular file opened to send slices of, with its size when opened. kNotFound when it
// does not exist or is not a regular file, kInternal for any other failure.
struct OpenedFile {
  std::shared_ptr<const OpenFile> file;
  size_t size = 0;
};
Result<OpenedFile> OpenForSlices(const std::string& path);

struct BodyPiece {
  std::string bytes;                     // a piece in memory (when `file` is null)
  std::shared_ptr<const OpenFile> file;  // a file slice: `length` bytes from `offset`
  off_t offset = 0;
  size_t length = 0;

  size_t size() const { return file ? length : bytes.size(); }
  bool is_file() const { return file != nullptr; }

  static BodyPiece Bytes(std::string bytes);
  static BodyPiece Slice(std::shared_ptr<const OpenFile> file, off_t offset, size_t length);
  // Opens `path` read-only and takes `length` bytes from `offset` (kToEnd: the rest of
  // the file). kNotFound when it does not exist, kInvalidArgument when the slice runs
  // past its end, kInternal for any other failure.
  static constexpr size_t kToEnd = static_cast<size_t>(-1);
  static Result<BodyPiece> FileSlice(const std::string& path, off_t offset = 0,
                                     size_t length = kToEnd);
};

}  // namespace telerad::api
