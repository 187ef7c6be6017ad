#include "dicom/dataset_screen.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctag.h>
#include <sys/stat.h>

#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include "dicom/byte_cursor.h"

namespace telerad::dicom {
namespace {

constexpr uint32_t kUndefinedLength = 0xFFFFFFFF;
constexpr uint64_t kUnbounded = std::numeric_limits<uint64_t>::max();

enum class Encoding { kImplicitLittle, kExplicitLittle, kExplicitBig };

uint16_t U16(const uint8_t* b, bool big) {
  return big ? static_cast<uint16_t>(b[0] << 8 | b[1]) : static_cast<uint16_t>(b[1] << 8 | b[0]);
}

uint32_t U32(const uint8_t* b, bool big) {
  return big ? static_cast<uint32_t>(U16(b, true)) << 16 | U16(b + 2, true)
             : static_cast<uint32_t>(U16(b + 2, false)) << 16 | U16(b, false);
}

// VRs whose explicit encoding has two reserved bytes and a 32-bit length (PS3.5 7.1.2).
// An unknown VR is read that way too, as DCMTK reads it as UN.
bool HasLongLength(const uint8_t vr[2]) {
  static const char* const kShort[] = {"AE", "AS", "AT", "CS", "DA", "DS", "DT",
                                       "FL", "FD", "IS", "LO", "LT", "PN", "SH",
                                       "SL", "SS", "ST", "TM", "UI", "UL", "US"};
  for (const char* s : kShort)
    if (vr[0] == s[0] && vr[1] == s[1]) return false;
  return true;
}

// What the walker is inside of. Positions count bytes of the data set's stream.
struct Frame {
  enum class Kind { kSequence, kItem, kFragments } kind;
  bool defined;       // has a length, so ends at `end` rather than at a delimiter
  uint64_t end;       // where it ends, or where its nearest defined-length ancestor ends
  Encoding encoding;  // of the elements inside
};

class Walker {
 public:
  Walker(ByteCursor& in, uint64_t stream_end, const ScreenLimits& limits)
      : in_(in), stream_end_(stream_end), limits_(limits) {}

  // Iterative on purpose: the point is not to recurse per nesting level.
  Status Walk(Encoding root) {
    for (;;) {
      while (!stack_.empty() && stack_.back().defined && in_.position() == stack_.back().end) Pop();
      // Open undefined-length items or sequences at the end of the data set: DCMTK reads
      // those with a warning, so the screen lets them pass to it.
      if (in_.AtEnd()) return Status::Ok();
      const Encoding encoding = stack_.empty() ? root : stack_.back().encoding;
      const bool big = encoding == Encoding::kExplicitBig;
      uint8_t tag[4];
      if (!in_.Read(tag, 4)) return Status::Malformed("data set ends inside a tag");
      if (++elements_ > limits_.max_elements)
        return Status::Malformed("more than " + std::to_string(limits_.max_elements) + " elements");
      const uint16_t group = U16(tag, big);
      const uint16_t element = U16(tag + 2, big);
      Status step = group == 0xFFFE ? Delimiter(element, big) : Element(group, element, encoding);
      if (!step.ok()) return step;
    }
  }

 private:
  uint64_t Limit() const { return stack_.empty() ? stream_end_ : stack_.back().end; }

  Status Lie(const char* what) const {
    return Status::Malformed(std::string(what) + " at byte " + std::to_string(in_.position()) +
                             " runs past its enclosing item or the end of the file");
  }

  Status ReadLength(uint8_t* b, size_t n) {
    if (!in_.Read(b, n)) return Status::Malformed("data set ends inside an element header");
    if (in_.position() > Limit()) return Lie("an element header");
    return Status::Ok();
  }

  void Pop() {
    if (stack_.back().kind == Frame::Kind::kSequence) --depth_;
    stack_.pop_back();
  }

  Status Push(Frame::Kind kind, uint32_t length, Encoding encoding) {
    const uint64_t limit = Limit();
    const bool defined = length != kUndefinedLength;
    if (defined && length > limit - in_.position())
      return Lie(kind == Frame::Kind::kItem ? "an item" : "a sequence");
    if (kind == Frame::Kind::kSequence && ++depth_ > limits_.max_depth)
      return Status::Malformed("sequences nested deeper than " + std::to_string(limits_.max_depth));
    stack_.push_back({kind, defined, defined ? in_.position() + length : limit, encoding});
    return Status::Ok();
  }

  // Items and the two delimiters (PS3.5 7.5): a tag and a 32-bit length, no VR.
  Status Delimiter(uint16_t element, bool big) {
    uint8_t b[4];
    if (Status s = ReadLength(b, 4); !s.ok()) return s;
    const uint32_t length = U32(b, big);
    const Frame* top = stack_.empty() ? nullptr : &stack_.back();
    switch (element) {
      case 0xE000:
        if (top != nullptr && top->kind == Frame::Kind::kFragments) {
          // A fragment of encapsulated pixel data (PS3.5 A.4): skipped, never read.
          if (length == kUndefinedLength) return Status::Malformed("fragment of undefined length");
          if (length > Limit() - in_.position()) return Lie("a fragment");
          if (!in_.Skip(length)) return Status::Malformed("data set ends inside a fragment");
          return Status::Ok();
        }
        if (top == nullptr || top->kind != Frame::Kind::kSequence)
          return Status::Malformed("item outside a sequence");
        return Push(Frame::Kind::kItem, length, top->encoding);
      case 0xE00D:
        if (top == nullptr || top->kind != Frame::Kind::kItem || top->defined)
          return Status::Malformed("item delimiter outside an undefined-length item");
        Pop();
        return Status::Ok();
      case 0xE0DD:
        if (top == nullptr || top->kind == Frame::Kind::kItem || top->defined)
          return Status::Malformed("sequence delimiter outside an undefined-length sequence");
        Pop();
        return Status::Ok();
      default:
        return Status::Malformed("unknown item tag");
    }
  }

  Status Element(uint16_t group, uint16_t element, Encoding encoding) {
    if (!stack_.empty() && stack_.back().kind != Frame::Kind::kItem)
      return Status::Malformed("element where an item was expected");
    const bool big = encoding == Encoding::kExplicitBig;
    uint32_t length = 0;
    bool sequence = false;
    bool unknown = false;
    if (encoding == Encoding::kImplicitLittle) {
      uint8_t b[4];
      if (Status s = ReadLength(b, 4); !s.ok()) return s;
      length = U32(b, false);
      // Implicit VR: the dictionary says which elements are sequences (DCMTK does the same).
      sequence = length != kUndefinedLength && DcmTag(group, element).getEVR() == EVR_SQ;
    } else {
      uint8_t vr[2];
      if (Status s = ReadLength(vr, 2); !s.ok()) return s;
      uint8_t b[6];
      const bool long_length = HasLongLength(vr);
      if (Status s = ReadLength(b, long_length ? 6 : 2); !s.ok()) return s;
      length = long_length ? U32(b + 2, big) : U16(b, big);
      sequence = vr[0] == 'S' && vr[1] == 'Q';
      unknown = vr[0] == 'U' && vr[1] == 'N';
    }
    if (length == kUndefinedLength) {
      if (group == 0x7FE0 && element == 0x0010)
        return Push(Frame::Kind::kFragments, length, encoding);
      // An undefined-length UN holds implicit VR little endian items (PS3.5 6.2.2).
      if (unknown) return Push(Frame::Kind::kSequence, length, Encoding::kImplicitLittle);
      if (sequence || encoding == Encoding::kImplicitLittle)
        return Push(Frame::Kind::kSequence, length, encoding);
      return Status::Malformed("undefined length on a value that cannot have one");
    }
    if (sequence) return Push(Frame::Kind::kSequence, length, encoding);
    if (length > Limit() - in_.position()) return Lie("a value");
    if (!in_.Skip(length)) return Status::Malformed("data set ends inside a value");
    return Status::Ok();
  }

  ByteCursor& in_;
  const uint64_t stream_end_;
  const ScreenLimits& limits_;
  std::vector<Frame> stack_;
  int depth_ = 0;
  uint64_t elements_ = 0;
};

std::string Trimmed(const uint8_t* b, size_t n) {
  std::string s(reinterpret_cast<const char*>(b), n);
  while (!s.empty() && (s.back() == '\0' || s.back() == ' ')) s.pop_back();
  return s;
}

// Reads the File Meta Information (PS3.10 7.1): preamble, "DICM", (0002,0000) first
// (as DataSetOffset requires), then the group it counts, for the transfer syntax.
Result<std::string> ReadMeta(ByteCursor& in, uint64_t file_size) {
  uint8_t head[144];
  if (!in.Read(head, sizeof head) || std::memcmp(head + 128, "DICM", 4) != 0 ||
      std::memcmp(head + 132, "\x02\x00\x00\x00UL\x04\x00", 8) != 0)
    return Status::Malformed("no File Meta Information");
  const uint64_t end = sizeof head + uint64_t{U32(head + 140, false)};
  if (end > file_size) return Status::Malformed("File Meta Information runs past the file");
  std::string transfer_syntax;
  while (in.position() < end) {
    uint8_t b[8];
    if (end - in.position() < 8 || !in.Read(b, 8))
      return Status::Malformed("malformed File Meta Information");
    uint32_t length = U16(b + 6, false);
    if (HasLongLength(b + 4)) {
      uint8_t l[4];
      if (end - in.position() < 4 || !in.Read(l, 4))
        return Status::Malformed("malformed File Meta Information");
      length = U32(l, false);
    }
    if (U16(b, false) != 0x0002 || length > end - in.position())
      return Status::Malformed("malformed File Meta Information");
    if (U16(b + 2, false) == 0x0010 && length <= 64) {
      uint8_t uid[64];
      if (!in.Read(uid, length)) return Status::Malformed("malformed File Meta Information");
      transfer_syntax = Trimmed(uid, length);
    } else if (!in.Skip(length)) {
      return Status::Malformed("malformed File Meta Information");
    }
  }
  if (transfer_syntax.empty()) return Status::Malformed("no transfer syntax in the meta header");
  return transfer_syntax;
}

Status Screen(ByteSource& source, uint64_t file_size, const ScreenLimits& limits) {
  ByteCursor in(source);
  auto transfer_syntax = ReadMeta(in, file_size);
  if (!transfer_syntax.ok()) return transfer_syntax.status();
  if (*transfer_syntax == "1.2.840.10008.1.2.1.99") {
    InflateSource inflated(in, limits.max_inflated_bytes);
    ByteCursor data_set(inflated);
    Status walked = Walker(data_set, kUnbounded, limits).Walk(Encoding::kExplicitLittle);
    if (inflated.over_budget())
      return Status::Malformed("deflated data set inflates past " +
                               std::to_string(limits.max_inflated_bytes) + " bytes");
    if (inflated.corrupt()) return Status::Malformed("corrupt deflated data set");
    return walked;
  }
  const Encoding encoding = *transfer_syntax == "1.2.840.10008.1.2"     ? Encoding::kImplicitLittle
                            : *transfer_syntax == "1.2.840.10008.1.2.2" ? Encoding::kExplicitBig
                                                                        : Encoding::kExplicitLittle;
  return Walker(in, file_size, limits).Walk(encoding);
}

}  // namespace

Status ScreenDataSetFile(const std::string& path, const ScreenLimits& limits) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  struct stat st {};
  if (!file || ::fstat(fileno(file.get()), &st) != 0)
    return Status::Internal("cannot open received file");
  FileSource source(file.get());
  return Screen(source, static_cast<uint64_t>(st.st_size), limits);
}

Status ScreenDataSetBytes(std::string_view file, const ScreenLimits& limits) {
  MemorySource source(file);
  return Screen(source, file.size(), limits);
}

}  // namespace telerad::dicom
