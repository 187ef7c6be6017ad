#include "dicom/byte_cursor.h"

#include <algorithm>
#include <cstring>

namespace telerad::dicom {

size_t FileSource::Pull(uint8_t* out, size_t n) { return std::fread(out, 1, n, file_); }

bool FileSource::Seek(uint64_t n) {
  // Seek in steps that fit a signed off_t on every platform.
  while (n > 0) {
    const uint64_t step = std::min<uint64_t>(n, uint64_t{1} << 30);
    if (fseeko(file_, static_cast<off_t>(step), SEEK_CUR) != 0) return false;
    n -= step;
  }
  return true;
}

size_t MemorySource::Pull(uint8_t* out, size_t n) {
  const size_t count = std::min(n, bytes_.size() - at_);
  std::memcpy(out, bytes_.data() + at_, count);
  at_ += count;
  return count;
}

bool MemorySource::Seek(uint64_t n) {
  if (n > bytes_.size() - at_) {
    at_ = bytes_.size();
    return false;
  }
  at_ += static_cast<size_t>(n);
  return true;
}

bool ByteCursor::Fill() {
  if (head_ < tail_) return true;
  head_ = 0;
  tail_ = source_.Pull(buffer_.data(), buffer_.size());
  return tail_ > 0;
}

size_t ByteCursor::ReadSome(uint8_t* out, size_t n) {
  if (n == 0 || !Fill()) return 0;
  const size_t count = std::min(n, tail_ - head_);
  std::memcpy(out, buffer_.data() + head_, count);
  head_ += count;
  position_ += count;
  return count;
}

bool ByteCursor::Read(uint8_t* out, size_t n) {
  while (n > 0) {
    const size_t got = ReadSome(out, n);
    if (got == 0) return false;
    out += got;
    n -= got;
  }
  return true;
}

bool ByteCursor::Skip(uint64_t n) {
  const size_t buffered = static_cast<size_t>(std::min<uint64_t>(n, tail_ - head_));
  head_ += buffered;
  position_ += buffered;
  n -= buffered;
  if (n == 0) return true;
  if (source_.Seek(n)) {
    position_ += n;
    return true;
  }
  // Not seekable (an inflater): read through, a buffer at a time.
  while (n > 0) {
    if (!Fill()) return false;
    const size_t step = static_cast<size_t>(std::min<uint64_t>(n, tail_ - head_));
    head_ += step;
    position_ += step;
    n -= step;
  }
  return true;
}

bool ByteCursor::AtEnd() { return !Fill(); }

InflateSource::InflateSource(ByteCursor& compressed, uint64_t budget)
    : compressed_(compressed), input_(64 * 1024), budget_(budget) {
  // Negative window bits: raw deflate, no zlib header (PS3.5 A.5).
  initialized_ = inflateInit2(&stream_, -MAX_WBITS) == Z_OK;
  corrupt_ = !initialized_;
}

InflateSource::~InflateSource() {
  if (initialized_) inflateEnd(&stream_);
}

size_t InflateSource::Pull(uint8_t* out, size_t n) {
  if (ended_ || corrupt_ || over_budget_ || n == 0) return 0;
  if (produced_ >= budget_) {
    over_budget_ = true;
    return 0;
  }
  n = static_cast<size_t>(std::min<uint64_t>(n, budget_ - produced_));
  stream_.next_out = out;
  stream_.avail_out = static_cast<uInt>(n);
  while (stream_.avail_out == n) {
    if (stream_.avail_in == 0 && !input_ended_) {
      const size_t got = compressed_.ReadSome(input_.data(), input_.size());
      input_ended_ = got == 0;
      stream_.next_in = input_.data();
      stream_.avail_in = static_cast<uInt>(got);
    }
    // With no input left, inflate still ends a stream whose last output filled the
    // previous buffer; Z_BUF_ERROR then means the final block never came.
    const int rc = inflate(&stream_, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      ended_ = true;
      break;
    }
    if (rc != Z_OK) {
      corrupt_ = true;
      break;
    }
  }
  const size_t produced = n - stream_.avail_out;
  produced_ += produced;
  return produced;
}

}  // namespace telerad::dicom
