// Sequential reading of a byte stream, with a position, for DataSetScreen.
//
// A ByteSource yields bytes (a file, a buffer, an inflater over another cursor); a
// ByteCursor buffers 64 KiB of it and skips long values with a seek where the source can.
// Not thread-safe; a cursor and its source belong to one screening.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <string_view>
#include <vector>

namespace telerad::dicom {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `n` bytes into `out`; 0 at the end of the stream or on a read error.
  virtual size_t Pull(uint8_t* out, size_t n) = 0;
  // Moves `n` bytes forward without reading them. False if the source cannot seek or
  // the stream ends first (a file may seek past its end: the next Pull then returns 0).
  virtual bool Seek(uint64_t n) = 0;
};

// REQUIRES: `file` stays open while this source is in use.
class FileSource : public ByteSource {
 public:
  explicit FileSource(std::FILE* file) : file_(file) {}
  size_t Pull(uint8_t* out, size_t n) override;
  bool Seek(uint64_t n) override;

 private:
  std::FILE* file_;
};

// REQUIRES: the bytes outlive this source.
class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  size_t Pull(uint8_t* out, size_t n) override;
  bool Seek(uint64_t n) override;

 private:
  std::string_view bytes_;
  size_t at_ = 0;
};

class ByteCursor {
 public:
  // REQUIRES: `source` outlives the cursor.
  explicit ByteCursor(ByteSource& source) : source_(source), buffer_(64 * 1024) {}
  ByteCursor(const ByteCursor&) = delete;
  ByteCursor& operator=(const ByteCursor&) = delete;

  // Exactly `n` bytes into `out`; false if the stream ends first.
  bool Read(uint8_t* out, size_t n);
  // Between 1 and `n` bytes into `out`; 0 at the end.
  size_t ReadSome(uint8_t* out, size_t n);
  // False if the stream ends first (for a seekable file: detected by the next read).
  bool Skip(uint64_t n);
  bool AtEnd();
  // Bytes consumed since the start of the stream.
  uint64_t position() const { return position_; }

 private:
  bool Fill();

  ByteSource& source_;
  std::vector<uint8_t> buffer_;
  size_t head_ = 0;
  size_t tail_ = 0;
  uint64_t position_ = 0;
};

// Raw deflate (PS3.5 A.5: no zlib header, as DCMTK reads it) of what `compressed` holds
// from its current position on. Pull returns 0 once `budget` bytes have been produced
// and more remain; over_budget() then says so.
class InflateSource : public ByteSource {
 public:
  // REQUIRES: `compressed` outlives this source.
  InflateSource(ByteCursor& compressed, uint64_t budget);
  ~InflateSource() override;
  InflateSource(const InflateSource&) = delete;
  InflateSource& operator=(const InflateSource&) = delete;

  size_t Pull(uint8_t* out, size_t n) override;
  bool Seek(uint64_t) override { return false; }
  bool over_budget() const { return over_budget_; }
  bool corrupt() const { return corrupt_; }

 private:
  ByteCursor& compressed_;
  z_stream stream_{};
  std::vector<uint8_t> input_;
  uint64_t produced_ = 0;
  uint64_t budget_;
  bool initialized_ = false;
  bool ended_ = false;
  bool input_ended_ = false;
  bool over_budget_ = false;
  bool corrupt_ = false;
};

}  // namespace telerad::dicom
